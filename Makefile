.PHONY: install build test lint check browser

install:
	python -m pip install -e ".[test]"

build:
	python build.py

test:
	python -m pytest

lint:
	ruff check . && ruff format --check .

check:
	python -m observatory check

browser:
	bash scripts/install-browser-tools.sh
