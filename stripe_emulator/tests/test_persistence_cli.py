import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import stripe

from stripe_emulator import EmulatorServer
from stripe_emulator.tests.conftest import recurring_price

ROOT = Path(__file__).resolve().parents[2]


def _client(emu):
    return stripe.StripeClient("sk_test_x", base_addresses={"api": emu.url}, max_network_retries=0)


def test_state_file_round_trip(tmp_path):
    state = tmp_path / "state.json"
    first = EmulatorServer(port=0, state_file=str(state)).start()
    try:
        client = _client(first)
        product = client.v1.products.create(params={"name": "Persisted"})
        price = recurring_price(client, product.id, 500)
        customer = client.v1.customers.create(params={"email": "keep@example.com"})
        first.advance(5 * 86400)
        now = first.now()
    finally:
        first.stop()
    data = json.loads(state.read_text())
    assert product.id in data["products"] and data["clock_offset"] == 5 * 86400
    second = EmulatorServer(port=0, state_file=str(state)).start()
    try:
        client = _client(second)
        assert client.v1.products.retrieve(product.id).name == "Persisted"
        assert client.v1.prices.retrieve(price.id).unit_amount == 500
        assert client.v1.customers.list(params={"email": "keep@example.com"}).data[0].id == (
            customer.id
        )
        assert second.now() >= now
        types = [e.type for e in client.v1.events.list().data]
        assert types == ["customer.created", "price.created", "product.created"]
        second.reset()
        assert json.loads(state.read_text())["products"] == {}
    finally:
        second.stop()


def test_cli_banner_and_control_endpoints(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stripe_emulator",
            "--port",
            "0",
            "--webhook-url",
            "http://127.0.0.1:1/billing/webhook/",
            "--webhook-secret",
            "whsec_emulator",
            "--state-file",
            str(tmp_path / "s.json"),
            "--failed-payment-policy",
            "unpaid",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(ROOT),
        env=env,
    )
    try:
        banner = proc.stdout.readline()
        assert banner.startswith("Stripe emulator on http://127.0.0.1:")
        url = banner.split()[3]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{url}/_emulator/now", timeout=5) as resp:
            assert "now" in json.loads(resp.read())
        req = urllib.request.Request(f"{url}/_emulator/advance", data=b"seconds=60", method="POST")
        with opener.open(req, timeout=5) as resp:
            assert json.loads(resp.read())["now"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stdout.close()
        proc.stderr.close()
