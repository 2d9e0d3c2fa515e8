"""Content-addressed cache of extracted facts.

An entry's key hashes the file's bytes and its place in the project; the
directory it lives in is named after a *salt* that changes with the fwlint
version, the extractor's code and the rule catalog, so any of those changing
invalidates every entry at once.  Entries are pickles written atomically.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

from fwlint.facts import ExtractionResult, FileFacts

REPORTS = "reports"
SUMMARY_SUFFIX = ".summary"
BUNDLE = "summaries.pickle"
KEPT_REPORTS = 8
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory holds fwlint's cache.\n"


class FactCache:
    def __init__(self, directory: Path, salt: str) -> None:
        self.base = directory
        self.directory = directory / f"facts-{hashlib.blake2b(salt.encode(), digest_size=8).hexdigest()}"
        self._prepared = False

    @staticmethod
    def key(data: bytes, path: str, module: str, is_package: bool, max_bytes: int) -> str:
        digest = hashlib.blake2b(digest_size=20)
        # The size limit decides whether a file is analysed at all, so it is part of the key.
        digest.update(f"{path}\0{module}\0{int(is_package)}\0{max_bytes}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str, summary: bool = False) -> ExtractionResult | None:
        """An entry, or (``summary``) its cheaper summary when one was stored."""
        name = key + SUMMARY_SUFFIX if summary else key
        try:
            with open(self.directory / key[:2] / name, "rb") as handle:
                return pickle.load(handle)  # type: ignore[no-any-return]
        except Exception:
            return None

    def prepare(self) -> None:
        if self._prepared:
            return
        self.base.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# Created by fwlint.\n*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            marker = self.base / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        # Entries under another salt can never be read again.
        for stale in self.base.glob("facts-*"):
            if stale != self.directory and stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        self._prepared = True

    def put(self, key: str, result: ExtractionResult) -> None:
        try:
            self.prepare()
            target_dir = self.directory / key[:2]
            target_dir.mkdir(parents=True, exist_ok=True)
            entries: list[tuple[str, ExtractionResult]] = [(key, result)]
            if isinstance(result, FileFacts):
                entries.append((key + SUMMARY_SUFFIX, result.summary()))
            for name, value in entries:
                fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".tmp-")
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, target_dir / name)
        except OSError:
            pass  # a read-only or full disk only costs speed

    # ---------------------------------------------------------- summary bundle
    def load_bundle(self) -> dict[str, tuple[str, FileFacts]]:
        """Every file's summary from the last scan, by path, with the key it was made from."""
        try:
            loaded = pickle.loads((self.directory / BUNDLE).read_bytes())
        except Exception:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def save_bundle(self, bundle: dict[str, tuple[str, FileFacts]]) -> None:
        """Rewrite the bundle only when some file's key changed (a small digest tells)."""
        digest = hashlib.blake2b(digest_size=16)
        for path in sorted(bundle):
            digest.update(f"{path}\0{bundle[path][0]}\0".encode())
        stamp = digest.hexdigest()
        stamp_file = self.directory / (BUNDLE + ".digest")
        try:
            if stamp_file.read_text(encoding="ascii") == stamp:
                return
        except OSError:
            pass
        try:
            self.prepare()
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(bundle, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.directory / BUNDLE)
            stamp_file.write_text(stamp, encoding="ascii")
        except OSError:
            pass

    # ------------------------------------------------------------------ blobs
    def get_blob(self, name: str) -> object | None:
        """A pickled object kept beside the facts (the parsed rule catalog, query translations)."""
        try:
            with open(self.directory / f"{name}.pickle", "rb") as handle:
                loaded: object = pickle.load(handle)
                return loaded
        except Exception:
            return None

    def put_blob(self, name: str, value: object) -> None:
        try:
            self.prepare()
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.directory / f"{name}.pickle")
        except (OSError, pickle.PicklingError):
            pass

    # ------------------------------------------------------------ whole reports
    def get_report(self, key: str) -> object | None:
        try:
            with open(self.base / REPORTS / key, "rb") as handle:
                loaded: object = pickle.load(handle)
                return loaded
        except Exception:
            return None

    def put_report(self, key: str, report: object) -> None:
        """Keep the last few reports: a re-scan of an unchanged tree is a lookup."""
        try:
            self.prepare()
            directory = self.base / REPORTS
            directory.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, directory / key)
            entries = sorted(directory.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in entries[KEPT_REPORTS:]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass


def code_fingerprint(*paths: Path) -> str:
    """Hash of files (the extractor's sources, the rule files) for the cache salt."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(paths):
        try:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()
