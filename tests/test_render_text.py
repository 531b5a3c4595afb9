"""html_to_text: plain-text part generated from rendered email HTML."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atscomms.rendering.text import html_to_text

# Shaped like MJML output: doctype, head with <title>/<style>/MSO conditional
# comments, the hidden preheader div, nested role="presentation" tables.
OFFER_EMAIL = """\
<!doctype html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml"
      xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
  <title>Your offer from Acme</title>
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
  <style type="text/css">
    #outlook a { padding: 0; }
    @media only screen and (min-width:480px) { .mj-column-per-100 { width:100% !important; } }
  </style>
  <!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch>
  </o:OfficeDocumentSettings></xml><![endif]-->
</head>
<body style="word-spacing:normal;background-color:#f4f4f4;">
  <div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;
              max-width:0px;opacity:0;overflow:hidden;">Your offer is ready &#847;&zwnj;&nbsp;</div>
  <div role="article" aria-roledescription="email" lang="en">
    <!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0"
      role="presentation" width="600"><tr><td>Outlook only<![endif]-->
    <div style="margin:0px auto;max-width:600px;">
      <table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation"
             style="width:100%;">
        <tbody>
          <tr>
            <td style="direction:ltr;font-size:0px;padding:20px 0;text-align:center;">
              <table border="0" cellpadding="0" cellspacing="0" role="presentation" width="100%">
                <tbody>
                  <tr>
                    <td align="center" style="font-size:0px;padding:10px 25px;">
                      <img alt="Acme Careers" src="https://example.com/logo.png" width="120"
                           style="display:block;">
                    </td>
                  </tr>
                  <tr>
                    <td align="left" style="padding:10px 25px;">
                      <div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5;">
                        <h1 style="font-size:24px;">Congratulations, Ada&nbsp;Lovelace!</h1>
                        <p>We are delighted to offer you the role of
                          <strong>Senior&nbsp;Engineer</strong>.<br>
                          Please review the details below by Friday&nbsp;12&nbsp;May.</p>
                        <ul>
                          <li>Salary: &euro;95,000</li>
                          <li>Start date: 1&nbsp;June</li>
                          <li>Location: Berlin &amp; remote</li>
                        </ul>
                      </div>
                    </td>
                  </tr>
                  <tr>
                    <td align="center" style="padding:10px 25px;">
                      <table border="0" cellpadding="0" cellspacing="0" role="presentation">
                        <tr>
                          <td align="center" bgcolor="#0b5fff" style="border-radius:4px;">
                            <a href="https://example.com/o" target="_blank"
                               style="display:inline-block;color:#ffffff;padding:10px 25px;">
                              View the offer
                            </a>
                          </td>
                        </tr>
                      </table>
                    </td>
                  </tr>
                  <tr>
                    <td><img src="https://example.com/open.gif" alt="" width="1" height="1"></td>
                  </tr>
                </tbody>
              </table>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
    <!--[if mso | IE]></td></tr></table><![endif]-->
    <div style="margin:0px auto;max-width:600px;">
      <table border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:100%;">
        <tr>
          <td style="font-size:11px;color:#888888;padding:10px 25px;">
            <p>Acme GmbH &middot; Berlin<br>
              <a href="https://example.com/privacy">Privacy policy</a> |
              <a href="mailto:careers@example.com">careers@example.com</a></p>
          </td>
        </tr>
      </table>
    </div>
  </div>
</body>
</html>
"""

OFFER_TEXT = """\
Acme Careers

Congratulations, Ada Lovelace!

We are delighted to offer you the role of Senior Engineer.
Please review the details below by Friday 12 May.

- Salary: €95,000
- Start date: 1 June
- Location: Berlin & remote

View the offer (https://example.com/o)

Acme GmbH · Berlin
Privacy policy (https://example.com/privacy) | careers@example.com
"""


def test_mjml_like_offer_email() -> None:
    assert html_to_text(OFFER_EMAIL) == OFFER_TEXT


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # links
        ('<a href="https://x.test/a">Apply</a>', "Apply (https://x.test/a)\n"),
        ('<a href="https://x.test/a">https://x.test/a</a>', "https://x.test/a\n"),
        ('<a href="https://x.test/">x.test</a>', "x.test\n"),
        ('See <a href="https://x.test/a"></a>.', "See https://x.test/a.\n"),
        ('<a href="https://x.test/a"><img alt=""></a>', "https://x.test/a\n"),
        ('<a href="https://x.test/a"><img alt="Logo"></a>', "Logo (https://x.test/a)\n"),
        ('<a href="mailto:jobs@x.test">jobs@x.test</a>', "jobs@x.test\n"),
        ('<a href="mailto:jobs@x.test?subject=Hi">Email us</a>', "Email us (jobs@x.test)\n"),
        ('<a href="tel:+15551234">+1 555-1234</a>', "+1 555-1234\n"),
        ('<a href="#top">Back to top</a>', "Back to top\n"),
        ('<a href="https://x.test/?a=1&amp;b=2">here</a>.', "here (https://x.test/?a=1&b=2).\n"),
        ('<a href="https://x.test/">Go </a>now', "Go (https://x.test/) now\n"),
        # blocks, breaks, rules
        ("<h2>Title</h2>Body<h3>Next</h3>", "Title\n\nBody\n\nNext\n"),
        ("<p>a</p><hr><p>b</p>", "a\n\n---\n\nb\n"),
        ("a<br>b<br/><br>c", "a\nb\n\nc\n"),
        ("<div>a<br></div><div>b</div>", "a\nb\n"),
        ("<p>a<p>b<div>c</div>d", "a\n\nb\n\nc\nd\n"),
        ("<table><tr><td>Name:</td><td>Ada</td></tr></table>", "Name:\nAda\n"),
        ("<pre>\n  x = 1\n    y</pre>z", "  x = 1\n    y\n\nz\n"),
        # lists
        (
            "<ul><li>one<li>two<ul><li>nested<br>more</li></ul></li></ul><p>after</p>",
            "- one\n- two\n  - nested\n    more\n\nafter\n",
        ),
        ('<ol start="3"><li>x</li><li>y</li></ol>', "3. x\n4. y\n"),
        # whitespace and entities
        ("<p>  lots \n\t of&nbsp;&nbsp; space  </p>", "lots of space\n"),
        ("<b>Hi</b><i>there</i> &amp; &lt;you&gt; &euro;5 &#x2713;", "Hithere & <you> €5 ✓\n"),
        ("<p>a</p><p>&nbsp;</p><p>&nbsp;</p><p>b</p>", "a\n\nb\n"),
        # dropped content
        ("<title>T</title><style>p{}</style><script>x()</script>shown", "shown\n"),
        ("<!--[if mso]><p>Outlook</p><![endif]--><![if !mso]>all<![endif]>", "all\n"),
        ('a<span style="display: none !important">x</span>b', "ab\n"),
        ('<p hidden>no</p><p style="visibility:hidden">no</p>yes', "yes\n"),
        ('<img alt="">', ""),
        ("", ""),
    ],
)
def test_cases(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_escaped_text_is_shown_exactly_as_the_candidate_sees_it() -> None:
    # text/plain is never interpreted as markup: show what the HTML showed, unchanged
    assert html_to_text("<p>Use &lt;script&gt; tags</p>") == "Use <script> tags\n"


_HTMLISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<", ">", "</", "<!", "<![", "<!--", "-->", "&", "&lt;", "&#", ";", "=", '"',
                "script", "SCRIPT", "style", "a", "p", "li", "ol", "pre", "br", "hr", "img",
                "td", " href=", " alt=", ' style="display:none"', "mailto:", "\n", "\xa0",
            ]
        ),
        st.text(max_size=4),
    ),
    max_size=30,
).map("".join)  # fmt: skip


def _check_invariants(out: str) -> None:
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n"))
    assert "\n\n\n" not in out
    assert all(line == line.rstrip() for line in out.split("\n"))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    _check_invariants(html_to_text(text))


@settings(max_examples=500, deadline=None)
@given(_HTMLISH)
def test_never_raises_on_html_like_soup(text: str) -> None:
    _check_invariants(html_to_text(text))
