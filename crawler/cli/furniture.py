"""`newswatch furniture list`: the line shapes learned as furniture across outlets."""

from __future__ import annotations

import argparse
import json

from crawler.cli.options import add_config_option, config_from
from crawler.furniture import MIN_OUTLETS, MIN_VARIANTS
from crawler.index import make_backend


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("furniture", help="learned page furniture")
    commands = parser.add_subparsers(dest="furniture_command", required=True, metavar="ACTION")
    listing = commands.add_parser(
        "list",
        help="show the line shapes removed as furniture on every outlet",
        description=(
            "The shapes of furniture lines learned across outlets (names, handles, "
            "addresses and numbers masked as N, @H, E@M and 0): a line of such a shape "
            f"is removed on any outlet once {MIN_OUTLETS} outlets printed it in "
            f"{MIN_VARIANTS} wordings. Lines an outlet repeats on its own pages are "
            "learned per outlet and kept as hashes only."
        ),
    )
    add_config_option(listing)
    listing.add_argument("--json", action="store_true", help="print one JSON object a line")
    listing.set_defaults(func=handle_list)


def handle_list(args: argparse.Namespace) -> int:
    with make_backend(config_from(args)) as backend:
        shapes = backend.furniture_store().learned_shapes(MIN_OUTLETS, MIN_VARIANTS)
    for shape in shapes:
        if args.json:
            row = {"shape": shape.text, "outlets": shape.outlets, "wordings": shape.variants}
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{shape.outlets:>4} outlets {shape.variants:>4} wordings  {shape.text}")
    if not args.json:
        print(f"{len(shapes)} shape(s) learned across outlets")
    return 0
