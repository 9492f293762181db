"""The Talon.One Faker provider: coupon and referral codes, SKUs, integration IDs, card identifiers, amounts.

Every method draws from one ``random.Random`` only (tuples of words, integer draws), which keeps it fast and
byte-for-byte reproducible from a seed. Added to the seeded Faker of each context, so ``faker.coupon_code()``
works in tests too.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from faker.providers import BaseProvider

__all__ = ["TalonProvider"]

_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_COUPON_PREFIXES = ("SUMMER", "WELCOME", "SPRING", "VIP", "FREESHIP", "WINTER", "SAVE10", "HOLIDAY", "BDAY", "NEWS")
_CATEGORIES = ("apparel", "footwear", "electronics", "home", "beauty", "grocery", "toys", "sports", "books")
_ADJECTIVES = ("Classic", "Organic", "Slim", "Premium", "Everyday", "Vintage", "Compact", "Cozy", "Ultra", "Eco")
_MATERIALS = ("Cotton", "Leather", "Bamboo", "Wool", "Steel", "Linen", "Ceramic", "Denim", "Canvas", "Oak")
_NOUNS = ("T-Shirt", "Sneakers", "Backpack", "Mug", "Headphones", "Jacket", "Lamp", "Water Bottle", "Notebook", "Scarf")
_COLORS = ("black", "white", "navy", "olive", "red", "beige", "grey", "teal")
_SIZES = ("XS", "S", "M", "L", "XL")
_BRANDS = ("Northwind", "Acme", "Lumen", "Fjord", "Kestrel", "Marigold", "Tidal", "Oakridge")
_CITIES = ("berlin", "paris", "madrid", "vienna", "london", "lisbon", "oslo", "prague")
_EVENT_TYPES = ("page_view", "add_to_wishlist", "newsletter_signup", "review_submitted", "app_opened", "store_visit")
_SEGMENTS = ("Shoppers", "Subscribers", "Members", "Customers", "Regulars", "Early Adopters")
_SEGMENT_ADJECTIVES = ("VIP", "Newsletter", "Loyal", "Lapsed", "High-Value", "Weekend", "Mobile", "Student")
_THIRD_PARTIES = ("mparticle", "segment", "braze", "salesforce", "klaviyo")
_ADDITIONAL_COSTS = ("shipping", "giftWrapping", "insurance", "handling")
_CATALOG_VALUES: dict[str, tuple[str, ...]] = {
    "brand": _BRANDS,
    "color": _COLORS,
    "material": tuple(m.lower() for m in _MATERIALS),
    "size": _SIZES,
}
_PRICE_TYPES = ("member", "sale", "clearance", "employee")


class TalonProvider(BaseProvider):
    """Faker provider for Talon.One values; seeded through the Faker it is added to, or an explicit generator."""

    def __init__(self, generator: Any, rng: random.Random | None = None) -> None:
        super().__init__(generator)
        self._rng = rng if rng is not None else generator.random

    def _code(self, length: int) -> str:
        return "".join(self._rng.choices(_CODE_CHARS, k=length))

    def _hex(self, digits: int) -> str:
        return format(self._rng.getrandbits(digits * 4), f"0{digits}x")

    def coupon_code(self) -> str:
        """A coupon code such as ``SUMMER-7KQ2MX`` (at most 100 characters)."""
        return f"{self._rng.choice(_COUPON_PREFIXES)}-{self._code(self._rng.randint(4, 8))}"

    def referral_code(self) -> str:
        """A referral code such as ``R7KQ-2MXA``."""
        return f"{self._code(4)}-{self._code(4)}"

    def item_category(self) -> str:
        """A cart item category such as ``footwear``."""
        return self._rng.choice(_CATEGORIES)

    def sku(self, category: str | None = None) -> str:
        """A SKU such as ``SKU-FOO-004213``; the middle part comes from ``category`` when given."""
        prefix = (category or self.item_category())[:3].upper()
        return f"SKU-{prefix}-{self._rng.randint(0, 999_999):06d}"

    def integration_id(self, prefix: str = "cust") -> str:
        """An integration ID such as ``cust-3f9a21c8e4b7`` (prefix, dash, 12 hex digits)."""
        return f"{prefix}-{self._hex(12)}"

    def profile_integration_id(self) -> str:
        """A customer profile integration ID (``cust-...``)."""
        return self.integration_id("cust")

    def session_integration_id(self) -> str:
        """A customer session integration ID (``sess-...``)."""
        return self.integration_id("sess")

    def store_integration_id(self) -> str:
        """A store integration ID such as ``store-berlin-042``."""
        return f"store-{self._rng.choice(_CITIES)}-{self._rng.randint(1, 999):03d}"

    def loyalty_card_identifier(self) -> str:
        """A loyalty card identifier such as ``LC-4821-9930-1174`` (matches the spec's 4-108 char pattern)."""
        groups = "-".join(f"{self._rng.randint(0, 9999):04d}" for _ in range(3))
        return f"LC-{groups}"

    def amount(self, low: float = 1.0, high: float = 250.0) -> float:
        """A currency amount with two decimals between ``low`` and ``high`` (inclusive)."""
        return self._rng.randint(round(low * 100), round(high * 100)) / 100

    def product_name(self) -> str:
        """A product name such as ``Classic Cotton T-Shirt``."""
        rng = self._rng
        return f"{rng.choice(_ADJECTIVES)} {rng.choice(_MATERIALS)} {rng.choice(_NOUNS)}"

    def catalog_attributes(self) -> dict[str, Any]:
        """Catalog item attributes: brand and color, sometimes material and size."""
        rng = self._rng
        attributes: dict[str, Any] = {"brand": rng.choice(_BRANDS), "color": rng.choice(_COLORS)}
        for name in ("material", "size"):
            if rng.random() < 0.5:
                attributes[name] = self.catalog_attribute_value(name)
        return attributes

    def catalog_attribute_name(self) -> str:
        """The name of a catalog attribute used by :meth:`catalog_attributes` (for filters)."""
        return self._rng.choice(tuple(_CATALOG_VALUES))

    def catalog_attribute_value(self, name: str) -> str:
        """A plausible value of the catalog attribute ``name`` (``brand``, ``color``, ``material``, ``size``)."""
        values = _CATALOG_VALUES.get(name, _COLORS)
        return values[self._rng.randrange(len(values))]

    def cart_item_attributes(self) -> dict[str, Any]:
        """Cart item attributes: color and size."""
        return {"color": self._rng.choice(_COLORS), "size": self._rng.choice(_SIZES)}

    def event_type(self) -> str:
        """A custom event type such as ``add_to_wishlist``."""
        return self._rng.choice(_EVENT_TYPES)

    def audience_name(self) -> str:
        """An audience name such as ``Loyal Shoppers``."""
        return f"{self._rng.choice(_SEGMENT_ADJECTIVES)} {self._rng.choice(_SEGMENTS)}"

    def third_party_name(self) -> str:
        """The name of a third-party integration that can own audiences, such as ``mparticle``."""
        return self._rng.choice(_THIRD_PARTIES)

    def additional_cost_name(self) -> str:
        """The name of an additional cost such as ``shipping``."""
        return self._rng.choice(_ADDITIONAL_COSTS)

    def price_type(self) -> str:
        """A catalog price type such as ``member``."""
        return self._rng.choice(_PRICE_TYPES)

    def hashed_identifier(self) -> str:
        """A hashed device or payment identifier (64 hex digits, as the docs recommend for ``identifiers``)."""
        return self._hex(64)

    def talon_uuid(self) -> uuid.UUID:
        """A random (version 4) UUID drawn from the seeded generator."""
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)

    def talon_id(self, low: int = 1, high: int = 99_999) -> int:
        """A positive numeric entity ID (campaign, audience, experiment...)."""
        return self._rng.randint(low, high)
