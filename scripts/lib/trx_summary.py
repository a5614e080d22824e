#!/usr/bin/env python3
"""Prints 'N passed, N failed, N skipped' from the TRX files in a folder; exits 1 on any failure or a missing report."""
import glob
import sys
import xml.etree.ElementTree as ET

folder, expected = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
passed = failed = skipped = 0
files = sorted(glob.glob(f"{folder}/*.trx"))
for path in files:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        failed += 1
        continue
    for result in root.iter():
        if result.tag.endswith("UnitTestResult"):
            outcome = result.get("outcome", "")
            if outcome == "Passed":
                passed += 1
            elif outcome in ("NotExecuted", "Inconclusive"):
                skipped += 1
            else:
                failed += 1
missing = max(0, expected - len(files))
if missing:
    print(f"{missing} test project(s) produced no report", file=sys.stderr)
failed += missing
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
