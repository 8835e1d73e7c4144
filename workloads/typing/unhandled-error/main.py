# Config loader: applies key=value settings from the arguments over the defaults and prints
# the effective configuration; a value that is not a number is reported and the default kept.
import sys
from dataclasses import dataclass


@dataclass
class Config:
    host: str = "localhost"
    port: int = 8080
    timeout_s: int = 30


def load(items: list[str]) -> Config:
    config = Config()
    for item in items:
        key, _, value = item.partition("=")
        if key == "host":
            config.host = value
        elif key == "port":
            try:
                config.port = int(value)
            except ValueError:
                print(f'warning: port "{value}" is not a number, keeping {config.port}')
        elif key == "timeout":
            # MISTAKE: unhandled error (int() raises ValueError on a bad number; nothing catches it)
            config.timeout_s = int(value)
        else:
            print(f'warning: unknown setting "{key}"')
    return config


def main() -> None:
    config = load(sys.argv[1:])
    print(f"host={config.host} port={config.port} timeout={config.timeout_s}s")


if __name__ == "__main__":
    main()
