#!/usr/bin/env python3
"""Prints 'N passed, N failed, N skipped' from the TRX files in a folder; exits 1 on any failure or a missing report."""
import glob
import sys
import xml.etree.ElementTree as ET

folder, expected = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
passed = failed = skipped = 0
failures = []
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
                failures.append((path, result))
# Name each failed test and the first lines of its message on stderr, just above the summary: a log that keeps
# only its tail still says what failed.
for path, result in failures[:20]:
    message = next((e.text or "" for e in result.iter() if e.tag.endswith("Message")), "")
    lines = [l for l in message.strip().splitlines() if l.strip()][:6]
    print(f"FAILED {result.get('testName', '?')} ({path.rsplit('/', 1)[-1]}, {result.get('duration', '?')})", file=sys.stderr)
    for l in lines:
        print(f"    {l[:300]}", file=sys.stderr)
if len(failures) > 20:
    print(f"... and {len(failures) - 20} more failed", file=sys.stderr)
missing = max(0, expected - len(files))
if missing:
    print(f"{missing} test project(s) produced no report", file=sys.stderr)
failed += missing
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
