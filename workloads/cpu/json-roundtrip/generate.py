# Generates the input of json-roundtrip: a JSON array of N customer records
# (argument: N) with nested objects and arrays, strings holding escapes
# (quotes, backslashes, newlines, tabs, control characters) and non-ASCII text
# (accents, CJK, emoji outside the BMP), ints, floats, bools and nulls.
# Written the way Python's json.dumps writes by default (", " and ": "
# separators, non-ASCII as \uXXXX escapes), one record per line, so the
# programs' compact UTF-8 re-serialization differs from these bytes.
# Deterministic: a fixed 64-bit linear congruential generator (Knuth's MMIX
# constants), never the random module. Floats are written so that Python's repr
# and Go's strconv agree on them: two or six decimals, never integral, never
# below 1e-4 in magnitude.
import json
import sys

MASK = (1 << 64) - 1


class LCG:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return self.state >> 16  # the low bits of a power-of-two LCG are weak

    def below(self, n):
        return self.next() % n

    def pick(self, items):
        return items[self.next() % len(items)]


FIRST = ["Ana", "José", "Zoë", "Björn", "Chloé", "Dmitri", "Ðorđe", "Émile", "Fatima",
         "Grace", "Hiroshi", "Ingrid", "Jürgen", "Kwame", "Léa", "Mateo", "Nikolaj",
         "Olga", "Priya", "Quentin", "Renée", "Søren", "Tomás", "Uma", "Valentín",
         "Wei", "Xavier", "Yusuf", "Zsófia", "Ørjan", "美咲", "太郎", "Алексей", "Σοφία"]
LAST = ["Smith", "O'Brien", "Müller", "García", "Nguyễn", "Kowalski", "Øberg", "Dubois",
        "Rossi", "Yamamoto", "Fernández", "Johansson", "Novák", "Papadopoulos", "Çelik",
        "Schröder", "Andersen", "Łukasiewicz", "Iglesias", "Van der Berg", "Иванов",
        "Παπαδάκης", "田中", "김", "Okafor", "MacLeod", "D'Angelo", "Ruiz"]
CITIES = ["São Paulo", "Zürich", "Kraków", "Reykjavík", "Montréal", "México City",
          "Düsseldorf", "Malmö", "Besançon", "İstanbul", "東京", "北京", "Москва",
          "Αθήνα", "Łódź", "Coruña", "Göteborg", "Tromsø", "Brno", "Lyon", "Osaka",
          "Porto", "Seville", "Bergen", "Cork", "Ghent", "Graz", "Turku", "Riga",
          "Tartu", "Split", "Cluj-Napoca", "Plovdiv", "Bratislava", "Ljubljana",
          "Nice", "Bilbao", "Aarhus", "Tampere", "Kaunas"]
STREETS = ["Main St", "Rue de l'Église", "Königsallee", "Calle Mayor", "Via Roma",
           "Høyesteretts plass", "Ulica Długa", "Broadway", "Avenida Paulista", "Straße des 17. Juni"]
TAGS = ["vip", "new", "churn-risk", "b2b", "newsletter", "beta", "wholesale", "returning",
        "gift-card", "mobile", "desktop", "früh", "café", "priority", "support-ticket"]
NOTES = [
    'said "call me back" twice',
    "path C:\\Users\\data\\export.csv",
    "line one\nline two\nline three",
    "tab\tseparated\tvalues",
    "prefers email 📧 over phone ☎",
    "naïve café order, crème brûlée",
    "escape char \x1b[0m and bell \x07 in the import",
    "emoji 😀🎉👍 in review",
    "quote \\\"nested\\\" and slash /",
    "日本語のメモ: 配達は午前中",
    "Привет, мир",
    "form feed\fand backspace\b here",
    "plain note",
]


def money(rng, max_cents):
    cents = 1 + rng.below(max_cents)
    if cents % 100 == 0:
        cents += 1  # never integral: Python would print 12.0 where Go prints 12
    return cents / 100


def degrees(rng, limit):
    micro = 100 + rng.below(limit * 1_000_000)
    if micro % 10 == 0:
        micro += 1
    value = micro / 1_000_000
    return value if rng.below(2) else -value


def record(rng, i):
    first, last = rng.pick(FIRST), rng.pick(LAST)
    orders = []
    for _ in range(rng.below(6)):
        orders.append({
            "sku": "SKU-%05d" % rng.below(100000),
            "qty": 1 + rng.below(20),
            "unit_price": money(rng, 50000),
            "gift": rng.below(10) == 0,
        })
    notes = None
    if rng.below(3) == 0:
        notes = rng.pick(NOTES) + " #" + str(rng.below(1000))
    return {
        "id": i + 1,
        "name": first + " " + last,
        "email": "user%d@example.%s" % (rng.below(1000000), rng.pick(["com", "org", "net", "io"])),
        "active": rng.below(4) != 0,
        "balance": money(rng, 10_000_000) * (1 if rng.below(5) else -1),
        "tags": [rng.pick(TAGS) for _ in range(rng.below(5))],
        "address": {
            "street": "%d %s" % (1 + rng.below(999), rng.pick(STREETS)),
            "city": rng.pick(CITIES),
            "zip": "%05d" % rng.below(100000),
            "geo": {"lat": degrees(rng, 89), "lon": degrees(rng, 179)},
        },
        "manager_id": None if rng.below(4) == 0 else 1 + rng.below(i + 1),
        "orders": orders,
        "notes": notes,
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = LCG(42)
    out = sys.stdout
    out.write("[\n")
    for i in range(n):
        if i:
            out.write(",\n")
        out.write(json.dumps(record(rng, i)))
    out.write("\n]\n")


if __name__ == "__main__":
    main()
