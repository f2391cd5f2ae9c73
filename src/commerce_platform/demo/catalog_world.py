"""The demo HVAC world's catalog, as data: groups, sizes, lengths, brands.

Product names follow the ERP style "GROUP SIZE [LENGTH] BRAND"; codes are stable 7-digit numbers.
"""

from __future__ import annotations

from ..offers.models import CatalogProduct

# group -> (sizes, lengths, brands, unit, base price, price step per size)
GROUPS: dict[str, tuple[list[str], list[str], list[str], str, float, float]] = {
    "KUPARIPUTKI": (["12MM", "15MM", "18MM", "22MM", "28MM"], ["3M", "5M"], ["LUVATA", "KME"], "m", 6.5, 2.1),
    "KOMPOSIITTIPUTKI": (["16MM", "20MM", "25MM", "32MM"], ["5M"], ["TIGRIS", "ONEPIPE", "UPONOR"], "m", 2.9, 1.4),
    "PALLOVENTTIILI": (["DN15", "DN20", "DN25"], [], ["BROEN", "NEOVAL", "TA"], "kpl", 14.0, 6.0),
    "VESIMITTARI": (["DN15", "DN20"], [], ["ITRON", "KAMSTRUP", "SENSUS"], "kpl", 48.0, 12.0),
    "LATTIAKAIVO": (["DN50", "DN75"], [], ["PURUS", "UNIDRAIN", "JAFO"], "kpl", 64.0, 18.0),
    "PUTKIKANNAKE": (["15MM", "22MM", "28MM"], [], ["WALRAVEN", "MEFA"], "kpl", 1.2, 0.3),
    "KIERTOVESIPUMPPU": (["25-40", "25-60"], [], ["GRUNDFOS", "WILO"], "kpl", 189.0, 40.0),
}


def build_catalog() -> list[CatalogProduct]:
    products: list[CatalogProduct] = []
    code = 4100000
    for g_index, (group, (sizes, lengths, brands, unit, base, step)) in enumerate(GROUPS.items()):
        for s_index, size in enumerate(sizes):
            for length in lengths or [""]:
                for b_index, brand in enumerate(brands):
                    code += 7
                    name = " ".join(p for p in (group, size, length, brand) if p)
                    price = round(base + step * s_index + 0.35 * b_index + (0.2 if length == "5M" else 0.0), 2)
                    products.append(CatalogProduct(product_code=str(code + g_index), product_name=name,
                                                   product_group=group, unit=unit, price=price))
    return products


def find(catalog: list[CatalogProduct], group: str, size: str, brand: str, length: str = "") -> CatalogProduct:
    name = " ".join(p for p in (group, size, length, brand) if p)
    for p in catalog:
        if p.product_name == name:
            return p
    raise KeyError(name)
