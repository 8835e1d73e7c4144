# Generates the input of the aggregate workload: a CSV of sensor readings with
# a header line and ROWS rows (argument: ROWS) of
#   sensor,temperature,humidity,pressure
# where sensor is one of 1000 ids s000..s999 and the readings are decimal
# numbers: temperature in [-20.00, 60.00], humidity in [0.0, 100.0], pressure
# in [950.00, 1050.00]. Every field comes from a 64-bit linear congruential
# generator (Knuth's MMIX constants, seed 2024) taking the top 31 bits of the
# state modulo the number of choices, so the output is the same everywhere.
import sys

MULTIPLIER = 6364136223846793005
INCREMENT = 1442695040888963407
MASK = (1 << 64) - 1
SENSORS = 1000


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    state = 2024
    names = [f"s{i:03d}" for i in range(SENSORS)]
    out = sys.stdout
    out.write("sensor,temperature,humidity,pressure\n")
    lines = []
    for _ in range(rows):
        state = (state * MULTIPLIER + INCREMENT) & MASK
        sensor = names[(state >> 33) % SENSORS]
        state = (state * MULTIPLIER + INCREMENT) & MASK
        temperature = ((state >> 33) % 8001 - 2000) / 100
        state = (state * MULTIPLIER + INCREMENT) & MASK
        humidity = (state >> 33) % 1001 / 10
        state = (state * MULTIPLIER + INCREMENT) & MASK
        pressure = (95000 + (state >> 33) % 10001) / 100
        lines.append(f"{sensor},{temperature:.2f},{humidity:.1f},{pressure:.2f}\n")
        if len(lines) == 65536:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


if __name__ == "__main__":
    main()
