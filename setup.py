"""Puts the shipped workbooks and letter templates inside the package (SPEC §4: package data)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("workbook", "letter_templates")


class BuildWithShippedFiles(build_py):
    """Copy workbook/ and letter_templates/ to crmbook/data/ in the built package."""

    def run(self) -> None:
        super().run()
        for folder in SHIPPED:
            source = Path(folder)
            if source.is_dir():
                target = Path(self.build_lib) / "crmbook" / "data" / folder
                shutil.copytree(source, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithShippedFiles})
