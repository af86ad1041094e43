"""The billing parameter declarations used by strict validation name real routes."""

from stripe_emulator.implemented_billing import IMPLEMENTED_PARAMS


def test_every_declared_route_exists(emu):
    routes = {
        (method, pattern.pattern.removesuffix(r"/?\Z")) for method, pattern, _ in emu.api.routes
    }
    assert set(IMPLEMENTED_PARAMS) <= routes
    assert ("POST", r"/v1/subscriptions/(?P<id>[^/]+)") in IMPLEMENTED_PARAMS
    assert (
        "pause_collection" not in IMPLEMENTED_PARAMS[("POST", r"/v1/subscriptions/(?P<id>[^/]+)")]
    )
    for params in IMPLEMENTED_PARAMS.values():
        assert all("[0]" not in p and p == p.strip() for p in params)
