"""``python -m desktop.build corpus|model|bundle``: rebuild the shipped resources, or bundle.

    python -m desktop.build corpus --pendigits PATH/pendigits_train.jsonl
        --optdigits PATH/optdigits_train.csv       # resources/corpus.npz, about a minute
    python -m desktop.build model                  # resources/model.npz, about 80 s
    python -m desktop.build bundle [--deb]         # dist/digit-pad/ (needs .[bundle])

The corpus and the model are seeded: the same inputs give the same files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def main(argv: list[str] | None = None) -> int:
    """Command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m desktop.build", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    corpus = commands.add_parser("corpus", help="build resources/corpus.npz from the raw files")
    corpus.add_argument("--pendigits", type=Path, required=True, help="pendigits_train.jsonl")
    corpus.add_argument("--optdigits", type=Path, required=True, help="optdigits_train.csv")
    corpus.add_argument("--out", type=Path, default=RESOURCES / "corpus.npz")
    corpus.add_argument("--seed", type=int, default=0)
    model = commands.add_parser("model", help="build resources/model.npz from the corpus")
    model.add_argument("--corpus", type=Path, default=None, help="default: the shipped one")
    model.add_argument("--out", type=Path, default=RESOURCES / "model.npz")
    model.add_argument("--seed", type=int, default=0)
    model.add_argument("--epochs", type=int, default=None)
    bundle = commands.add_parser("bundle", help="a one-folder app that needs no Python")
    bundle.add_argument("--dist", type=Path, default=Path("dist"), help="default: ./dist")
    bundle.add_argument("--deb", action="store_true", help="also pack it as a .deb")
    args = parser.parse_args(argv)

    if args.command == "bundle":
        from desktop.build.bundle import build_bundle, build_deb

        folder = build_bundle(args.dist)
        sys.stdout.write(f"wrote {folder}\n")
        if args.deb:
            sys.stdout.write(f"wrote {build_deb(folder, args.dist)}\n")
        return 0

    if args.command == "corpus":
        from desktop.build.corpus import CorpusRecipe, build_corpus, details

        corpus_recipe = CorpusRecipe(seed=args.seed)
        built = build_corpus(args.pendigits, args.optdigits, corpus_recipe)
        built.save(args.out, details(corpus_recipe))
        sys.stdout.write(f"wrote {args.out}: {built.sizes()}\n")
        return 0

    from desktop.build.model import RECIPE, build
    from desktop.data.corpus import CorpusFile

    recipe = RECIPE.with_changes(seed=args.seed, epochs=args.epochs or RECIPE.epochs)
    network = build(recipe, CorpusFile(args.corpus).load())
    network.save(args.out)
    training = network.metadata["training"]
    sys.stdout.write(
        f"wrote {args.out}: load_digits test {training['load_digits_test_accuracy']:.4f}, "
        f"drawn digits of unseen writers {training['drawn_digits_accuracy']:.4f}, "
        f"{training['samples']} samples, {training['seconds']} s\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
