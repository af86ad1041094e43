from stripe_emulator.objects import add_interval
from stripe_emulator.params import decode, merge_metadata


def test_nested_brackets_and_indices():
    params = decode(
        "line_items[0][price]=price_1&line_items[0][quantity]=2&line_items[1][price]=price_2"
        "&subscription_data[metadata][org]=7&a[b][0][c]=x"
    )
    assert params["line_items"] == [{"price": "price_1", "quantity": "2"}, {"price": "price_2"}]
    assert params["subscription_data"] == {"metadata": {"org": "7"}}
    assert params["a"] == {"b": [{"c": "x"}]}


def test_expand_both_styles():
    assert decode("expand[]=customer&expand[]=subscription")["expand"] == [
        "customer",
        "subscription",
    ]
    assert decode("expand[0]=customer&expand[1]=line_items")["expand"] == [
        "customer",
        "line_items",
    ]


def test_blank_values_and_metadata_unset():
    params = decode("metadata[keep]=1&metadata[drop]=")
    assert merge_metadata({"drop": "x", "old": "y"}, params["metadata"]) == {
        "old": "y",
        "keep": "1",
    }


def test_add_interval_calendar_months():
    jan31 = 1706659200  # 2024-01-31 00:00 UTC
    assert add_interval(jan31, "month") == 1709164800  # 2024-02-29 (leap year, clamped)
    assert add_interval(jan31, "year") == 1738281600  # 2025-01-31
    assert add_interval(jan31, "week") == jan31 + 7 * 86400
    assert add_interval(jan31, "day", 3) == jan31 + 3 * 86400
    assert add_interval(jan31, "month", 12) == add_interval(jan31, "year")
