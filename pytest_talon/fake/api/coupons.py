"""Coupon reservation operations: create, delete and list the customers holding a reservation."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api import encode
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord

__all__ = ["create_coupon_reservation", "delete_coupon_reservation", "get_reserved_customers"]


def _coupon_or_404(app: Application, call: Call) -> CouponRecord:
    value = call.path["couponValue"]
    found = app.coupons.get(value)
    if found is None:
        raise NotFound(f"coupon {value!r} does not exist")
    return found


def _ids(body: models.CouponReservations) -> list[str]:
    if len(body.integration_i_ds) > 1000:
        raise BadRequest("at most 1000 integration IDs per request", pointer="/integrationIDs")
    return list(dict.fromkeys(body.integration_i_ds))


@route(
    "createCouponReservation",
    notes=("Reserving creates missing profiles (INF); reservation limits are not enforced (as documented)."),
)
def create_coupon_reservation(app: Application, call: Call) -> Reply:
    """Reserve the coupon for each listed profile (hard when the coupon makes reservations mandatory)."""
    coupon = _coupon_or_404(app, call)
    ids = _ids(call.body)
    if coupon.recipient_integration_id:
        raise BadRequest(f"coupon {coupon.value!r} was created for one recipient and cannot be reserved")
    holders = set(coupon.reserved_by) | set(ids)
    if not coupon.reservation and len(holders) > 1:
        raise BadRequest(f"coupon {coupon.value!r} is personal (reservation=false): only one customer may reserve it")
    for integration_id in ids:
        app.profile_or_create(integration_id)
        if integration_id not in coupon.reserved_by:
            coupon.reserved_by.append(integration_id)
    return Reply(201, encode.coupon(coupon))


@route("deleteCouponReservation")
def delete_coupon_reservation(app: Application, call: Call) -> Reply:
    """Remove the listed profiles' reservations of the coupon."""
    coupon = _coupon_or_404(app, call)
    for integration_id in _ids(call.body):
        if integration_id in coupon.reserved_by:
            coupon.reserved_by.remove(integration_id)
    return Reply(204)


@route("getReservedCustomers")
def get_reserved_customers(app: Application, call: Call) -> Reply:
    """The profiles holding a reservation of the coupon."""
    coupon = _coupon_or_404(app, call)
    profiles = [encode.profile(app, app.profiles[i]) for i in coupon.reserved_by if i in app.profiles]
    return Reply(200, models.ReservedCustomerList(total_result_size=len(profiles), data=profiles))
