"""Gives a live server what Schemathesis needs to reach past the refusals:
a signed-up brand with an outlet, a menu, an order and its ticket, paired
devices, and spare objects for the operations that delete or end things.
Prints `NAME=value` lines (tokens and ids) that schemathesis.toml reads.

    python3 prepare.py BASE_URL
"""

import json
import sys
import urllib.request
import uuid
from datetime import datetime, timezone

BASE = sys.argv[1]
PASSWORD = "correct horse battery"


def call(method, path, token=None, body=None):
    req = urllib.request.Request(BASE + path, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, data) as res:
        text = res.read()
        return json.loads(text) if text else None


def email(who):
    return f"{who}-{uuid.uuid4().hex}@schemathesis.example"


def staff(owner, role, outlets):
    user = call("POST", "/api/v1/users", owner,
                {"email": email(role), "name": role, "password": PASSWORD, "role": role, "outlet_ids": outlets})
    login = call("POST", "/api/v1/auth/login", body={"email": user["email"], "password": PASSWORD})
    return user["id"], login["access_token"]


def device(owner, outlet, kind):
    code = call("POST", f"/api/v1/outlets/{outlet}/devices", owner, {"kind": kind, "name": kind})
    return call("POST", "/api/v1/devices/pair", body={"pairing_code": code["pairing_code"]})


def category(owner, name):
    return call("POST", "/api/v1/categories", owner, {"name": name, "station": "bar"})["id"]


def item(owner, category_id, name):
    return call("POST", "/api/v1/menu-items", owner,
                {"category_id": category_id, "name": name, "price_minor": 25000})["id"]


brand = call("POST", "/api/v1/auth/signup", body={
    "brand_name": "Schemathesis", "owner_name": "Owner", "email": email("owner"), "password": PASSWORD})
owner = brand["access_token"]
outlet = call("POST", "/api/v1/outlets", owner, {"name": "Main"})["id"]
drinks = category(owner, "Drinks")
coffee = item(owner, drinks, "Kopi")
order = call("POST", "/api/v1/orders", owner, {
    "client_order_id": str(uuid.uuid4()), "outlet_id": outlet, "channel": "counter",
    "created_at_client": datetime.now(timezone.utc).isoformat(),
    "items": [{"menu_item_id": coffee, "qty": 1}]})
kds = device(owner, outlet, "kds")
ticket = call("GET", f"/api/v1/outlets/{outlet}/tickets", kds["device_token"])[0]["id"]
kiosk = device(owner, outlet, "kiosk")
spare_category = category(owner, "Spare")
values = {
    "ST_OWNER_TOKEN": owner,
    "ST_OUTLET": outlet,
    "ST_CATEGORY": drinks,
    "ST_ITEM": coffee,
    "ST_ORDER": order["id"],
    "ST_TICKET": ticket,
    "ST_KIOSK_TOKEN": kiosk["device_token"],
    "ST_KIOSK": kiosk["device_id"],
    # What the deleting and ending operations may use up.
    "ST_SPARE_OUTLET": call("POST", "/api/v1/outlets", owner, {"name": "Spare"})["id"],
    "ST_SPARE_CATEGORY": spare_category,
    "ST_SPARE_ITEM": item(owner, spare_category, "Spare"),
    "ST_SPARE_DEVICE": call("POST", f"/api/v1/outlets/{outlet}/devices", owner,
                            {"kind": "kds", "name": "spare"})["device_id"],
}
values["ST_SPARE_INGREDIENT"] = call("POST", "/api/v1/ingredients", owner, {"name": "Spare", "unit": "g"})["id"]
values["ST_SPARE_USER"], _ = staff(owner, "cashier", [outlet])
_, values["ST_LEAVING_TOKEN"] = staff(owner, "manager", [outlet])
for name, value in values.items():
    print(f"{name}={value}")
