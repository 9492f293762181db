"""Coupon reservation operations: create, delete and list the customers holding a reservation."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.backend import coupons, encode
from pytest_talon.fake.state.application import Application

__all__ = ["create_coupon_reservation", "delete_coupon_reservation", "get_reserved_customers"]


@route(
    "createCouponReservation",
    notes=("Reserving creates missing profiles (INF); reservation limits are not enforced (as documented)."),
)
def create_coupon_reservation(app: Application, call: OperationCall) -> Reply:
    """Reserve the coupon for each listed profile (hard when the coupon makes reservations mandatory)."""
    body: models.CouponReservations = call.body
    return Reply(201, encode.coupon(coupons.reserve(app, call.path["couponValue"], body.integration_i_ds)))


@route("deleteCouponReservation")
def delete_coupon_reservation(app: Application, call: OperationCall) -> Reply:
    """Remove the listed profiles' reservations of the coupon."""
    body: models.CouponReservations = call.body
    coupons.release(app, call.path["couponValue"], body.integration_i_ds)
    return Reply(204)


@route("getReservedCustomers")
def get_reserved_customers(app: Application, call: OperationCall) -> Reply:
    """The profiles holding a reservation of the coupon."""
    coupon = coupons.coupon_or_404(app, call.path["couponValue"])
    profiles = [encode.profile(app, app.profiles[i]) for i in coupon.reserved_by if i in app.profiles]
    return Reply(200, models.ReservedCustomerList(total_result_size=len(profiles), data=profiles))
