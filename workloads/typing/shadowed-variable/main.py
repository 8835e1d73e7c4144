# Price lookup: prints the product and price for each SKU given as argument, or says that the
# catalogue has no such product.
import sys
from dataclasses import dataclass


@dataclass
class Product:
    sku: str
    name: str
    cents: int


CATALOGUE = [
    Product("A-100", "kettle", 2499),
    Product("B-200", "toaster", 3150),
    Product("C-300", "blender", 5900),
]


def find_product(products: list[Product], sku: str) -> Product | None:
    for product in products:
        if product.sku == sku:
            break
    # MISTAKE: wrong variable used (after the loop, product is the last one when none matched)
    return product


def main() -> None:
    for sku in sys.argv[1:]:
        product = find_product(CATALOGUE, sku)
        if product is None:
            print(f"{sku}: no such product")
        else:
            print(f"{sku}: {product.name} {product.cents // 100}.{product.cents % 100:02d}")


if __name__ == "__main__":
    main()
