from search.highlight import excerpt, highlight, query_terms


def test_terms_are_words_of_two_letters_or_more_longest_first():
    assert query_terms('gift "cards" a Gift') == ["cards", "gift"]


def test_highlight_wraps_every_match_case_insensitively():
    assert highlight("Gift cards and gift vouchers", ["gift"]) == (
        "<mark>Gift</mark> cards and <mark>gift</mark> vouchers"
    )


def test_highlight_escapes_the_text_and_never_marks_inside_entities():
    html = highlight('<script>alert("x")</script> Tom & Amp', ["amp", "script"])
    assert "<script>" not in html
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;"
        " Tom &amp; <mark>Amp</mark>"
    )


def test_highlight_escapes_a_query_that_looks_like_markup():
    assert highlight("a <b> tag", ["<b>"]) == "a <mark>&lt;b&gt;</mark> tag"


def test_excerpt_keeps_the_first_match_in_view():
    text = ("word " * 100) + "storefront " + ("more " * 100)
    short = excerpt(text, ["storefront"], length=120)
    assert "storefront" in short and short.startswith("…") and short.endswith("…")
    assert len(short) <= 122
