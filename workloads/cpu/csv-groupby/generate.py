# Generates the input of csv-groupby: a sales export in CSV (RFC 4180) with a
# header line and N rows (argument: N). Columns: order_id, date, region,
# product, customer, quantity, unit_price (dollars with two decimals), note.
# Some products and customers contain commas or double quotes, so they are
# quoted (quotes doubled), some notes span two lines inside quotes, and some
# text is non-ASCII. Deterministic: a fixed 64-bit linear congruential
# generator (Knuth's MMIX constants), never the random module.
import csv
import sys

MASK = (1 << 64) - 1
REGIONS = ["North America", "South America", "Western Europe", "Eastern Europe",
           "Nordics", "Middle East", "Africa", "South Asia", "East Asia", "Oceania"]
PRODUCTS = ["Widget", "Widget, large", "Gadget", "Gizmo", 'Doohickey "Pro"', "Sprocket",
            "Flange", "Bracket, steel", "Bracket, aluminium", "Cable 2m", "Cable 5m",
            "Adapter", "Café table", "Crème polish", "Smørrebrød tray", "Lamp", "Desk",
            "Chair", "Monitor arm", "Keyboard", "Mouse", "Headset", "Webcam", "Dock",
            "Charger", "Battery pack", "Tripod", "Filter set", "Tool kit", "Gloves"]
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Håkon", "Ines", "Jon",
         "Kei", "Lena", "Marta", "Nils", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tariq"]
LAST = ["Smith", "O'Neil", "Müller", "García", "Nguyen", "Kowalski", "Berg", "Dubois",
        "Rossi", "Tanaka", "Okafor", "Johansson", "Novak", "Silva", "Çelik", "Lee"]
NOTES = ["", "", "", "", "", "", "gift wrap", "deliver after 5pm", 'customer said "urgent"',
         "leave at door, ring twice", "fragile\nhandle with care", "repeat order"]


class LCG:
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 16) % n  # the low bits of a power-of-two LCG are weak

    def pick(self, items):
        return items[self.below(len(items))]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = LCG(2024)
    sys.stdout.reconfigure(encoding="utf-8", newline="")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["order_id", "date", "region", "product", "customer", "quantity",
                  "unit_price", "note"])
    rows = []
    for i in range(n):
        customer = rng.pick(FIRST) + " " + rng.pick(LAST)
        if rng.below(20) == 0:
            customer = customer + ", Inc."
        cents = 50 + rng.below(100000)
        rows.append([
            100000 + i,
            "2024-%02d-%02d" % (1 + rng.below(12), 1 + rng.below(28)),
            rng.pick(REGIONS),
            rng.pick(PRODUCTS),
            customer,
            1 + rng.below(50),
            "%d.%02d" % (cents // 100, cents % 100),
            rng.pick(NOTES),
        ])
        if len(rows) == 10000:
            out.writerows(rows)
            rows = []
    out.writerows(rows)


if __name__ == "__main__":
    main()
