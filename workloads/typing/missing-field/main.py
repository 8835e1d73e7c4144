# Team mailing list: prints "Name <email>" for every member of the team given as argument.
import sys
from dataclasses import dataclass


@dataclass
class User:
    name: str
    email: str
    team: str


USERS = [
    User("Ada Lovelace", "ada@example.org", "compilers"),
    User("Alan Turing", "alan@example.org", "theory"),
    User("Grace Hopper", "grace@example.org", "compilers"),
    User("Edsger Dijkstra", "edsger@example.org", "theory"),
    User("Barbara Liskov", "barbara@example.org", "compilers"),
]


def mailing_list(users: list[User], team: str) -> list[str]:
    lines = []
    for user in users:
        if user.team == team:
            # MISTAKE: missing field (typo in the attribute name)
            lines.append(f"{user.name} <{user.emial}>")
    return lines


def main() -> None:
    team = sys.argv[1]
    members = mailing_list(USERS, team)
    print(f"To: {team} ({len(members)} members)")
    for line in members:
        print(line)


if __name__ == "__main__":
    main()
