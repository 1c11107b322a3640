"""The package list, found rather than listed, so no package is ever left out of a wheel.

Everything else is in pyproject.toml. The top-level templates/ folder is installed as
crmctl.templates (``crmctl.files.render`` reads the built-in templates from there).
"""

from setuptools import find_namespace_packages, find_packages, setup

# template folders with importable names are declared too, so setuptools installs
# them as package data without warnings (zh-CN is no package name and needs no entry)
TEMPLATE_FOLDERS = [f"crmctl.templates.{name}" for name in find_namespace_packages(where="templates")]

setup(
    packages=[*find_packages(include=["crmctl", "crmctl.*"]), "crmctl.templates", *TEMPLATE_FOLDERS],
    package_dir={"crmctl.templates": "templates"},
)
