"""`moto-proton-server` / `python -m moto_proton`: moto's server with Proton added."""

from typing import Optional


def main(argv: Optional[list[str]] = None) -> None:
    from moto.server import main as moto_server_main

    import moto_proton  # noqa: F401  (registers Proton)

    moto_server_main(argv)


if __name__ == "__main__":
    main()
