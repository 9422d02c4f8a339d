"""Prepares a live server for Schemathesis: signs up a brand, gives it an
outlet with a menu and paired devices, and writes the Schemathesis
configuration (tokens and the ids of real objects) to the file named by
the second argument.

    python3 prepare.py BASE_URL CONFIG_OUT
"""

import json
import sys
import urllib.request
import uuid

BASE, OUT = sys.argv[1], sys.argv[2]
PASSWORD = "correct horse battery"


def call(method, path, token=None, body=None, expect=(200, 201)):
    req = urllib.request.Request(BASE + path, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, data) as res:
        assert res.status in expect, (path, res.status)
        text = res.read()
        return json.loads(text) if text else None


def staff(owner, role, outlets):
    email = f"{role}-{uuid.uuid4().hex}@schemathesis.example"
    call("POST", "/api/v1/users", owner,
         {"email": email, "name": role, "password": PASSWORD, "role": role, "outlet_ids": outlets})
    return call("POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})


def device(owner, outlet, kind):
    code = call("POST", f"/api/v1/outlets/{outlet}/devices", owner, {"kind": kind, "name": kind})
    return call("POST", "/api/v1/devices/pair", body={"pairing_code": code["pairing_code"]})


brand = call("POST", "/api/v1/auth/signup", body={
    "brand_name": "Schemathesis", "owner_name": "Owner",
    "email": f"owner-{uuid.uuid4().hex}@schemathesis.example", "password": PASSWORD})
owner = brand["access_token"]
outlet = call("POST", "/api/v1/outlets", owner, {"name": "Main"})["id"]
category = call("POST", "/api/v1/categories", owner, {"name": "Drinks", "station": "bar"})["id"]
item = call("POST", "/api/v1/menu-items", owner, {"category_id": category, "name": "Kopi", "price_minor": 25000})["id"]
kiosk = device(owner, outlet, "kiosk")
board = device(owner, outlet, "board")
order = call("POST", "/api/v1/orders", owner, {
    "client_order_id": str(uuid.uuid4()), "outlet_id": outlet, "channel": "counter",
    "created_at_client": "2020-01-01T00:00:00Z", "items": [{"menu_item_id": item, "qty": 1}]}, expect=(201,)) if False else None
# A session only the logout operation uses (logging out ends it).
leaving = staff(owner, "manager", [outlet])

def q(s):
    return json.dumps(s)

cfg = f"""
[auth.openapi.bearer]
bearer = {q(owner)}

[[operations]]
include-path = ["/api/v1/sync/push", "/api/v1/devices/me"]
headers = {{ Authorization = {q("Bearer " + kiosk["device_token"])} }}
parameters = {{ "device_id" = {q(kiosk["device_id"])} }}

[[operations]]
include-path = "/api/v1/auth/logout"
headers = {{ Authorization = {q("Bearer " + leaving["access_token"])} }}
"""
with open(OUT, "w") as f:
    f.write(cfg)
print(json.dumps({"outlet": outlet, "item": item, "category": category}))
