"""Page furniture is recognised by its kind, whatever the site."""

from __future__ import annotations

from loaders.boilerplate import boilerplate_reason, is_label_list, is_name_list

COUNTRIES = " ".join(["Albania Algeria Andorra Angola Argentina Armenia Aruba Australia"] * 6)


def test_a_country_picker_is_a_list_not_prose() -> None:
    assert is_name_list(COUNTRIES)
    assert boilerplate_reason(COUNTRIES) == "list"


def test_a_paragraph_dense_with_names_is_still_prose() -> None:
    text = (
        "Secretary of State Mike Pompeo told Fox News on Sunday that President Donald Trump had "
        "consulted allies in Britain, France and Germany, and that the Iraqi government in "
        "Baghdad had been told before the strike, while Senate Democrats led by Chuck Schumer "
        "in Washington demanded to see the intelligence behind it."
    )
    assert not is_name_list(text)
    assert boilerplate_reason(text) == ""


def test_a_long_sign_up_form_is_furniture_at_any_length() -> None:
    form = (
        "Get our Politics Newsletter. Sign up to receive the day's top stories. Choose your "
        f"country {COUNTRIES * 7} Please enter a valid email address. By signing up you accept "
        "the Terms of Use and Privacy Policy. You may unsubscribe at any time. Please check your "
        "spam folder."
    )
    assert len(form) > 2500
    assert boilerplate_reason(form)


def test_contributor_and_contact_lines() -> None:
    assert boilerplate_reason("Jane Roe in Beirut contributed to this report.") == "credit"
    assert boilerplate_reason("—With reporting by John Doe/Washington") == "credit"
    assert boilerplate_reason("Write to Jane Roe at jane.roe@example.com.") == "credit"
    assert boilerplate_reason("Follow him on Twitter @someone.") == "credit"
    assert boilerplate_reason("The senator said she had not seen the intelligence.") == ""


def test_a_line_of_section_labels_is_a_promo_not_a_passage() -> None:
    # a section teaser, a navigation strip, a list of categories: labels with no clause
    for line in (
        "Opinion Columns, letters, editorials and guest essays.",
        "News | Sports | Business | Entertainment | Lifestyle",
        "Recipes, restaurant reviews, wine notes and travel guides",
    ):
        assert is_label_list(line), line
        assert boilerplate_reason(line) == "promo", line


def test_short_prose_with_a_list_in_it_stays() -> None:
    for text in (
        "Iran, Iraq and Syria were on the agenda.",
        "Pompeo, Esper and Milley briefed the senators on Wednesday.",
        "The strike was lawful, necessary and proportionate, the official said.",
        "Guns, money and oil: that is what this war is about.",
        "Democrats, Republicans agree: Congress must vote.",
        "Pelosi, Schumer and Sanders objected.",
        "Ten today, 5,000 next year?",
        "Oh, and donors and consultants.",
        "Sept. 3-6 — Democratic National Convention, Charlotte, N.C.",
    ):
        assert not is_label_list(text), text
        assert boilerplate_reason(text) == "", text


def test_contributor_and_letters_lines() -> None:
    assert boilerplate_reason("Contributing: Jane Roe") == "credit"
    assert boilerplate_reason("Send letters to opinion@example.com") == "credit"
    assert boilerplate_reason("Staff writers Jane Roe and John Doe contributed.") == "credit"
