# Project progress: prints each project's finished tasks as a percentage and a progress bar
# (argument: the width of a full bar).
import sys
from dataclasses import dataclass


@dataclass
class Project:
    name: str
    done: int
    total: int


PROJECTS = [
    Project("website", 2, 3),
    Project("billing", 5, 8),
    Project("search", 4, 4),
    Project("mobile", 0, 6),
]


def percent_done(project: Project) -> int:
    # MISTAKE: integer division (done // total truncates to 0 before the * 100)
    return project.done // project.total * 100


def main() -> None:
    try:
        width = int(sys.argv[1])
    except ValueError:
        print("bad width:", sys.argv[1])
        return
    for project in PROJECTS:
        pct = percent_done(project)
        bar = "#" * (pct * width // 100)
        print(f"{project.name:<8} {project.done:>2}/{project.total:<2} {pct:>3}% |{bar:<{width}}|")


if __name__ == "__main__":
    main()
