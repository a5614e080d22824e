#!/usr/bin/env python3
"""Writes a TRX report from script steps, so scripts/lib/trx_summary.py counts them like tests.

Usage: steps_trx.py STEPS_TSV OUT.trx RUN_NAME
STEPS_TSV has one line per step: name, outcome (Passed|Failed|NotExecuted), seconds, path of the step's log file
(tab-separated). The last 40 lines of a failed step's log go into the report's error message.
"""
import os
import sys
import uuid
import xml.etree.ElementTree as ET

steps_path, out_path, run_name = sys.argv[1], sys.argv[2], sys.argv[3]
NS = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"
ET.register_namespace("", NS)


def q(tag):
    return f"{{{NS}}}{tag}"


def duration(seconds):
    s = float(seconds)
    return f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:010.7f}"


steps = []
if os.path.exists(steps_path):
    with open(steps_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                steps.append((parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else ""))

run = ET.Element(q("TestRun"), id=str(uuid.uuid4()), name=run_name)
definitions = ET.SubElement(run, q("TestDefinitions"))
results = ET.SubElement(run, q("Results"))
list_id = str(uuid.uuid4())
counts = {"Passed": 0, "Failed": 0, "NotExecuted": 0}
for name, outcome, seconds, log in steps:
    test_id, execution_id = str(uuid.uuid4()), str(uuid.uuid4())
    unit = ET.SubElement(definitions, q("UnitTest"), name=name, id=test_id)
    ET.SubElement(unit, q("Execution"), id=execution_id)
    ET.SubElement(unit, q("TestMethod"), codeBase="scripts/packages.sh", className=run_name, name=name)
    result = ET.SubElement(results, q("UnitTestResult"), testId=test_id, executionId=execution_id, testName=name,
                           outcome=outcome, duration=duration(seconds), testListId=list_id, computerName=os.uname().nodename)
    counts[outcome] = counts.get(outcome, 0) + 1
    if outcome != "Passed" and log and os.path.exists(log):
        with open(log, encoding="utf-8", errors="replace") as f:
            tail = "".join(f.readlines()[-40:])
        output = ET.SubElement(result, q("Output"))
        error = ET.SubElement(output, q("ErrorInfo"))
        ET.SubElement(error, q("Message")).text = tail
summary = ET.SubElement(run, q("ResultSummary"), outcome="Failed" if counts["Failed"] else "Completed")
ET.SubElement(summary, q("Counters"), total=str(len(steps)), executed=str(counts["Passed"] + counts["Failed"]),
              passed=str(counts["Passed"]), failed=str(counts["Failed"]), notExecuted=str(counts["NotExecuted"]))
ET.ElementTree(run).write(out_path, encoding="utf-8", xml_declaration=True)
