"""How bad it is when a client does not support a feature: the default lists of
caniemail features behind C101 (layout-critical) and C103 (cosmetic). Everything
else that is unsupported is C102. Workspaces change them with the ``features``
option of C101 and C103 (slugs, or CSS property names)."""

#: caniemail features whose absence breaks the layout (``n`` -> C101, an error).
LAYOUT_CRITICAL = [
    "css-display", "css-display-flex", "css-display-grid", "css-flex-direction",
    "css-flex-wrap", "css-justify-content", "css-align-items", "css-gap",
    "css-grid-template", "css-width", "css-max-width", "css-min-width", "css-float",
    "css-clear", "css-position", "css-left-right-top-bottom", "css-inset", "css-margin",
    "css-padding", "css-box-sizing", "css-table-layout", "css-border-collapse",
    "css-border-spacing", "css-column-count", "css-column-layout-properties",
    "css-block-inline-size", "css-inline-size", "css-min-inline-size", "css-max-inline-size",
    "css-min-block-size", "css-max-block-size", "css-margin-inline-block",
    "css-margin-block-start-end", "css-margin-inline-start-end", "css-padding-inline-block",
    "css-padding-block-start-end", "css-padding-inline-start-end", "css-aspect-ratio",
    "css-unit-calc", "css-function-clamp", "css-function-min", "css-function-max",
    "css-intrinsic-size", "css-unit-vw", "css-unit-vh", "css-unit-vmin", "css-unit-vmax",
    "css-writing-mode", "css-transform",
]  # fmt: skip

#: Features a client may drop without harm: the email reads the same without them
#: (``n`` -> C103, info).
COSMETIC = [
    "css-border-radius", "css-border-radius-logical", "css-box-shadow", "css-text-shadow",
    "css-transition", "css-animation", "css-at-keyframes", "css-cursor", "css-outline",
    "css-outline-offset", "css-text-decoration-color", "css-text-decoration-style",
    "css-text-decoration-thickness", "css-text-decoration-skip-ink",
    "css-text-underline-offset", "css-text-underline-position", "css-pseudo-class-hover",
    "css-pseudo-class-active", "css-pseudo-class-focus", "css-pseudo-class-focus-visible",
    "css-pseudo-class-focus-within", "css-pseudo-class-visited", "css-pseudo-class-link",
    "css-at-media-prefers-color-scheme", "css-at-media-prefers-reduced-motion",
    "css-at-media-hover", "css-color-scheme", "html-meta-color-scheme", "css-accent-color",
    "css-hyphens", "css-hyphenate-character", "css-hyphenate-limit-chars", "css-text-wrap",
    "css-font-kerning", "css-user-select", "css-scroll-snap", "css-mix-blend-mode",
    "css-background-blend-mode", "css-backdrop-filter", "css-text-emphasis",
    "css-text-emphasis-position", "html-body", "html-dir", "html-loading-attribute",
    "html-srcset",
]  # fmt: skip
