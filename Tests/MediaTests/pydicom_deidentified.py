"""Checks a de-identified file against its original with pydicom, attribute by attribute.

    python pydicom_deidentified.py ORIGINAL DEIDENTIFIED RULES.json

RULES.json: [[group, element, action], ...] with action remove | empty | dummy | uid, and "XX"
for any two hex digits. Prints one JSON object: {"violations": [...], "uids": {old: new}}.
"""
import json
import sys

import pydicom


def matches(pattern, value):
    return all(p == "X" or p == v for p, v in zip(pattern, f"{value:04X}"))


def walk(dataset, depth=0):
    for element in dataset:
        yield element, depth
        if element.VR == "SQ":
            for item in element.value:
                yield from walk(item, depth + 1)


def main(original_path, deidentified_path, rules_path):
    rules = json.load(open(rules_path))
    original = pydicom.dcmread(original_path)
    result = pydicom.dcmread(deidentified_path)
    violations, uids = [], {}
    before = {}
    for element, _ in walk(original):
        before.setdefault(element.tag, []).append(element.value)
    for element, depth in walk(result):
        tag = element.tag
        if tag.is_private:
            violations.append(f"{tag} private element kept")
            continue
        for group, number, action in rules:
            if not (matches(group, tag.group) and matches(number, tag.element)):
                continue
            value = element.value
            empty = value in (None, "", b"") or (element.VR == "SQ" and len(value) == 0)
            if action == "remove":
                violations.append(f"{tag} {element.keyword} should be removed")
            elif action == "empty" and not empty:
                violations.append(f"{tag} {element.keyword} should be empty, is {value!r}")
            elif action == "dummy" and not empty and value in before.get(tag, []) and element.VR != "SQ":
                violations.append(f"{tag} {element.keyword} kept its value {value!r}")
            elif action == "uid" and not empty:
                if value in before.get(tag, []):
                    violations.append(f"{tag} {element.keyword} kept its UID")
                for old in before.get(tag, []):
                    uids[str(old)] = str(value)
    if result.get("PatientIdentityRemoved") != "YES":
        violations.append("PatientIdentityRemoved is not YES")
    if result.file_meta.MediaStorageSOPInstanceUID != result.SOPInstanceUID:
        violations.append("the meta header's instance UID differs from the data set's")
    print(json.dumps({"violations": violations, "uids": uids, "study": str(result.StudyInstanceUID)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
