"""S: structure and schema. Emitted while files are loaded and validated."""

from __future__ import annotations

from atscomms.checks.registry import Rule, register
from atscomms.findings import Severity


@register
class YamlSyntax(Rule):
    """
    ## What it does
    Reports a file that is not well-formed YAML.

    ## Why
    A file that cannot be parsed cannot be checked, rendered or pushed.

    ## Example
    ```yaml
    subject: "Your interview
    ```

    ## Fix
    Close the quote, bracket or block the parser names at the position given.
    """

    code = "S001"
    name = "yaml-syntax"


@register
class DuplicateKey(Rule):
    """
    ## What it does
    Reports a mapping key that appears twice in the same mapping.

    ## Why
    YAML parsers silently keep the last value, so the first one (often the one
    a reviewer read) is thrown away: a classic config-as-code bug.

    ## Example
    ```yaml
    subject: Your application
    subject: Thanks for applying
    ```

    ## Fix
    Keep one of the two keys.
    """

    code = "S002"
    name = "duplicate-key"


@register
class AliasExpansion(Rule):
    """
    ## What it does
    Reports anchors and aliases that expand to more nodes than the limit
    (`limits.max_expanded_nodes`, default 100000).

    ## Why
    Nested aliases grow exponentially ("billion laughs"): a few lines can
    exhaust memory on every machine that loads them.

    ## Example
    ```yaml
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    ```

    ## Fix
    Write the values out, or share text through partials instead of aliases.
    """

    code = "S003"
    name = "alias-expansion"


@register
class NestingTooDeep(Rule):
    """
    ## What it does
    Reports a document nested deeper than `limits.max_depth` (default 64).

    ## Why
    No atscomms file needs deep nesting; deeply nested input is a denial of
    service vector for parsers.

    ## Example
    ```yaml
    a: [[[[[[[[[[ ... 65 levels of brackets ... ]]]]]]]]]]
    ```

    ## Fix
    Flatten the structure.
    """

    code = "S004"
    name = "nesting-too-deep"


@register
class FileTooLarge(Rule):
    """
    ## What it does
    Reports a file larger than `limits.max_file_bytes` (default 1 MiB).

    ## Why
    A candidate message is a few kilobytes; a huge file is a mistake (a pasted
    export, a binary) and slows every check.

    ## Example
    A 40 MB `templates/offer.yaml` with an embedded base64 image.

    ## Fix
    Host images and attachments elsewhere and link them, or raise the limit.
    """

    code = "S005"
    name = "file-too-large"


@register
class InvalidEncoding(Rule):
    """
    ## What it does
    Reports bytes that are not valid UTF-8.

    ## Why
    Mis-encoded text turns into mojibake in candidates' inboxes.

    ## Example
    A file saved as Latin-1 containing `Grüße`.

    ## Fix
    Save the file as UTF-8.
    """

    code = "S006"
    name = "invalid-encoding"


@register
class BinaryFile(Rule):
    """
    ## What it does
    Reports a `.yaml` file that contains NUL bytes, i.e. binary data.

    ## Why
    Binary content is never a valid workspace file; it is usually a
    mis-named export or a corrupted file.

    ## Example
    A spreadsheet renamed to `fields.yaml`.

    ## Fix
    Replace the file with its YAML source.
    """

    code = "S007"
    name = "binary-file"


@register
class TabIndentation(Rule):
    """
    ## What it does
    Reports a tab character where YAML expects indentation.

    ## Why
    YAML forbids tabs for indentation; editors show them as spaces, so the
    error is invisible to the author.

    ## Example
    ```yaml
    body:
    <TAB>text: Hello
    ```

    ## Fix
    Indent with spaces.
    """

    code = "S008"
    name = "tab-indentation"


@register
class EmptyFile(Rule):
    """
    ## What it does
    Reports a YAML file with no content (or only comments).

    ## Why
    An empty file is usually a template whose content was lost in a merge.

    ## Example
    A `templates/offer.yaml` of zero bytes.

    ## Fix
    Restore the content, or delete the file.
    """

    code = "S009"
    name = "empty-file"


@register
class MultipleDocuments(Rule):
    """
    ## What it does
    Reports a file that holds more than one YAML document (`---` separators).

    ## Why
    Every resource is one file; extra documents would be silently ignored.

    ## Example
    ```yaml
    kind: template
    id: a
    ---
    kind: template
    id: b
    ```

    ## Fix
    Move each document to its own file.
    """

    code = "S010"
    name = "multiple-documents"


@register
class UnsupportedTag(Rule):
    """
    ## What it does
    Reports explicit YAML tags such as `!!python/object` or custom `!tags`.

    ## Why
    Workspace files are plain data; tags that construct objects are a code
    execution risk in other tools and mean nothing to atscomms.

    ## Example
    ```yaml
    subject: !!python/object/apply:os.system ["id"]
    ```

    ## Fix
    Remove the tag.
    """

    code = "S011"
    name = "unsupported-tag"


@register
class NotAMapping(Rule):
    """
    ## What it does
    Reports a file whose top level is not a mapping of keys to values.

    ## Why
    Every workspace file is a mapping that starts with `kind:`.

    ## Example
    ```yaml
    - kind: template
    ```

    ## Fix
    Remove the leading `- ` so the file is a mapping.
    """

    code = "S012"
    name = "not-a-mapping"


@register
class UnknownKind(Rule):
    """
    ## What it does
    Reports a file without a `kind:` key in a workspace folder, or with a kind
    atscomms does not know.

    ## Why
    The kind decides which schema and which checks apply; without it the file
    would be skipped silently.

    ## Example
    ```yaml
    kind: tempalte
    ```

    ## Fix
    Use one of: template, layout, partial, sequence, styleguide, fields,
    governance, persona.
    """

    code = "S013"
    name = "unknown-kind"


@register
class MissingProperty(Rule):
    """
    ## What it does
    Reports a required property that is missing (JSON Schema `required`).

    ## Why
    Without it the resource cannot be rendered or sent.

    ## Example
    ```yaml
    kind: template
    id: offer
    channel: email
    ```
    (no `body`)

    ## Fix
    Add the property; `atscomms schema KIND` shows what each one means.
    """

    code = "S101"
    name = "missing-property"


@register
class UnknownProperty(Rule):
    """
    ## What it does
    Reports a property the schema does not define, with the closest known one.

    ## Why
    A misspelt key (`subjet:`) is otherwise silently ignored.

    ## Example
    ```yaml
    subjet: Your offer
    ```

    ## Fix
    Correct the spelling or remove the key.
    """

    code = "S102"
    name = "unknown-property"


@register
class WrongType(Rule):
    """
    ## What it does
    Reports a value of the wrong type (a list where text is expected...).

    ## Why
    Wrong types break rendering and provider pushes.

    ## Example
    ```yaml
    subject: [Your offer]
    ```

    ## Fix
    Use the type the message names.
    """

    code = "S103"
    name = "wrong-type"


@register
class InvalidValue(Rule):
    """
    ## What it does
    Reports a value outside the allowed set or format (enum, pattern, range).

    ## Why
    An unknown channel, category or time format cannot be acted on.

    ## Example
    ```yaml
    channel: whatsapp
    ```

    ## Fix
    Use one of the values the message lists.
    """

    code = "S104"
    name = "invalid-value"


@register
class SchemaViolation(Rule):
    """
    ## What it does
    Reports any other JSON Schema violation (array lengths, combinations).

    ## Why
    The schema is the contract every later stage relies on.

    ## Example
    ```yaml
    steps: []
    ```

    ## Fix
    Follow the message; `atscomms schema KIND` prints the full schema.
    """

    code = "S105"
    name = "schema-violation"


@register
class TemplateSyntax(Rule):
    """
    ## What it does
    Reports template text that is not valid Jinja2 syntax (an unclosed
    `{% if %}`, a stray `}}`...).

    ## Why
    The message cannot be rendered at all.

    ## Example
    ```yaml
    subject: "Hi {{ candidate.first_name }"
    ```

    ## Fix
    Close the tag or expression at the line given.
    """

    code = "S014"
    name = "template-syntax"


@register
class SuppressionWithoutReason(Rule):
    """
    ## What it does
    Reports an `# atscomms: disable=CODE` comment that gives no reason after
    ` -- `.

    ## Why
    A suppression is a decision someone will have to revisit; the reason is
    what lets a reviewer (or legal) judge it.

    ## Example
    ```yaml
    subject: Hey guys  # atscomms: disable=T201
    ```

    ## Fix
    ```yaml
    subject: Hey guys  # atscomms: disable=T201 -- the band's name
    ```
    """

    code = "S020"
    name = "suppression-without-reason"
    severity = Severity.WARNING


@register
class UnusedSuppression(Rule):
    """
    ## What it does
    Reports an `# atscomms: disable...` comment that suppresses nothing.

    ## Why
    Stale suppressions hide the next real problem on that line.

    ## Example
    ```yaml
    subject: Your interview  # atscomms: disable=T101 -- old wording
    ```

    ## Fix
    Remove the comment.
    """

    code = "S021"
    name = "unused-suppression"
    severity = Severity.WARNING
