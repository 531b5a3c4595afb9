"""T: tone. The style guide's rules in the manner of Vale, readability, and the
built-in packs a style guide extends.

Codes:

* T001-T007 the style guide's ``rules:``, one rule per Vale type (existence,
  substitution, occurrence, metric, capitalization, consistency) and T007 for
  rules that cannot run;
* T010-T013 readability (Flesch-Kincaid grade per category), long sentences,
  exclamation marks, shouting;
* T1xx ``inclusive``, T2xx ``recruiting``, T3xx ``plain-language``: built-in
  packs, active when the style guide ``extends`` them.

Word lists are matched by one compiled scan per language (see ``lexicon``),
built once per style guide. Packs only check copy in the languages they cover
(English); style-guide word rules check the default locale's language unless
they say ``locales:``.
"""

from atscomms.checks.tone import inclusive, plain, readability, recruiting, style, style_counts

__all__ = ["inclusive", "plain", "readability", "recruiting", "style", "style_counts"]
