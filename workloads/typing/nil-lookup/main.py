# User lookup: prints the name and e-mail of each user id given as argument.
import sys
from dataclasses import dataclass


@dataclass
class User:
    name: str
    email: str


USERS: dict[int, User] = {
    1: User("Ada Lovelace", "ada@example.org"),
    2: User("Alan Turing", "alan@example.org"),
    3: User("Grace Hopper", "grace@example.org"),
}


def describe(user_id: int) -> str:
    user = USERS.get(user_id)
    # MISTAKE: None used as a value (the lookup can miss)
    return f"{user_id}: {user.name} <{user.email}>"


def main() -> None:
    for arg in sys.argv[1:]:
        try:
            user_id = int(arg)
        except ValueError:
            print("bad id:", arg)
            continue
        print(describe(user_id))


if __name__ == "__main__":
    main()
