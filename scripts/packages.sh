#!/usr/bin/env bash
# Proves the NuGet packages work the way a user meets them, using only a local folder as the package source:
#   1. pack      dotnet pack: Switchboard, Switchboard.PostgreSql, Switchboard.Redis, Switchboard.Gateway, Switchboard.Emulator and the Switchboard.Cli tool (Release)
#   2. install   dotnet tool install --tool-path DIR --add-source LOCALDIR Switchboard.Cli --version X
#   3. serve     `switchboard serve` from that tool path on a free loopback port answers one chat request (emulator)
#   4. chat      `switchboard chat "hello"` answers from the built-in emulator
#   5. library   a console app generated in the work folder references the packed Switchboard package and asks
#                AddSwitchboard's IChatClient (pointed at `switchboard emulator`) for an answer
# Each step is one test in RESULTS/packages.trx (scripts/lib/trx_summary.py counts them). Nothing is pushed anywhere:
# the packages go to a folder under the work folder; the registry configured on the machine is only read, for the
# library's dependencies. Exits non-zero when a step fails.
# Usage: bash scripts/packages.sh [RESULTS_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="${SB_PACKAGES_WORK:-$ROOT/.work/packages}"
RESULTS="${1:-$WORK/results}"
LOCAL="$WORK/feed"          # the local package folder
TOOLS="$WORK/tools"         # the temporary tool path
STEPS="$WORK/steps.tsv"
VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
STEP_NAMES=(pack install serve chat library)

log() { printf '== %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

rm -rf "$WORK"
mkdir -p "$WORK" "$RESULTS" "$LOCAL"
: > "$STEPS"
# The packed Switchboard packages are extracted into a per-run folder, never into the machine's global one (a stale
# copy of the same version there would be used instead of the one just packed); the dependencies already restored for
# the solution are read from the global folder as a fallback.
GLOBAL_PACKAGES=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')
RUN_PACKAGES="$WORK/nuget-packages"   # NUGET_PACKAGES for the install and library steps (pack uses the machine's)
export DOTNET_ROOT="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The built-in emulator answers only when no provider key is configured.
unset OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY OPENAI_BASE_URL ANTHROPIC_BASE_URL GOOGLE_GEMINI_BASE_URL

PIDS=()
finish() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  # Steps never reached (an earlier one failed, or the script was stopped) count as failed.
  echo "not run: an earlier step failed or the script was stopped" > "$WORK/not-run.log"
  for name in "${STEP_NAMES[@]}"; do
    grep -q "^packages.$name	" "$STEPS" || printf 'packages.%s\tFailed\t0\t%s\n' "$name" "$WORK/not-run.log" >> "$STEPS"
  done
  python3 "$ROOT/scripts/lib/steps_trx.py" "$STEPS" "$RESULTS/packages.trx" packages
}
trap finish EXIT
trap 'exit 143' TERM INT

# run_step NAME FUNCTION: runs FUNCTION with its output in WORK/NAME.log and records the outcome and duration.
failed=0
run_step() {
  local name=$1 fn=$2 start seconds outcome
  log "packages: $name"
  start=$(date +%s%N)
  if "$fn" > "$WORK/$name.log" 2>&1; then outcome=Passed; else outcome=Failed; failed=1; fi
  seconds=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  printf 'packages.%s\t%s\t%s\t%s\n' "$name" "$outcome" "$seconds" "$WORK/$name.log" >> "$STEPS"
  log "packages: $name $outcome ($seconds s)"
  [ "$outcome" = Passed ]
}

# wait_http URL SECONDS: polls until URL answers (bounded).
wait_http() {
  local deadline=$(( $(date +%s) + $2 ))
  until curl -sf -o /dev/null --max-time 2 "$1"; do
    [ "$(date +%s)" -ge "$deadline" ] && { echo "no answer from $1 after $2 s"; return 1; }
    sleep 0.3
  done
}

step_pack() {
  # The tool build compiles the library, the gateway and the emulator too; the three then pack without rebuilding.
  dotnet pack src/Switchboard.Cli -c Release -o "$LOCAL" -nologo -v quiet || return 1
  for project in Switchboard Switchboard.PostgreSql Switchboard.Redis Switchboard.Gateway Switchboard.Emulator; do
    dotnet pack "src/$project" -c Release --no-build -o "$LOCAL" -nologo -v quiet || return 1
  done
  ls -l "$LOCAL"
  for id in Switchboard Switchboard.PostgreSql Switchboard.Redis Switchboard.Gateway Switchboard.Emulator Switchboard.Cli; do
    [ -f "$LOCAL/$id.$VERSION.nupkg" ] || { echo "missing $id.$VERSION.nupkg"; return 1; }
    [ -f "$LOCAL/$id.$VERSION.snupkg" ] || { echo "missing $id.$VERSION.snupkg (symbols)"; return 1; }
  done
  # What a package page shows: readme, license expression, repository commit, XML docs.
  local nuspec; nuspec=$(unzip -p "$LOCAL/Switchboard.$VERSION.nupkg" Switchboard.nuspec)
  grep -q '<license type="expression">MIT</license>' <<< "$nuspec" || { echo "no MIT license expression"; return 1; }
  grep -q '<readme>README.md</readme>' <<< "$nuspec" || { echo "no package readme"; return 1; }
  grep -q '<repository type="git"[^>]*commit="[0-9a-f]\{40\}"' <<< "$nuspec" || { echo "no repository commit (SourceLink)"; return 1; }
  local files; files=$(unzip -l "$LOCAL/Switchboard.$VERSION.nupkg")
  grep -q 'lib/net10.0/Switchboard.xml' <<< "$files" || { echo "no XML docs"; return 1; }
  local settings; settings=$(unzip -p "$LOCAL/Switchboard.Cli.$VERSION.nupkg" tools/net10.0/any/DotnetToolSettings.xml)
  grep -q 'Command Name="switchboard"' <<< "$settings" || { echo "Switchboard.Cli is not a tool with the command 'switchboard'"; return 1; }
}

step_install() {
  (cd "$WORK" && NUGET_PACKAGES="$RUN_PACKAGES" dotnet tool install --tool-path "$TOOLS" --add-source "$LOCAL" Switchboard.Cli --version "$VERSION") || return 1
  [ -x "$TOOLS/switchboard" ] || { echo "no switchboard command in $TOOLS"; return 1; }
  "$TOOLS/switchboard" --help
}

step_serve() {
  local port; port=$(free_port)
  mkdir -p "$WORK/serve"
  (cd "$WORK/serve" && exec timeout 120 "$TOOLS/switchboard" serve --urls "http://127.0.0.1:$port") > "$WORK/serve/out.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/healthz" 60 || { cat "$WORK/serve/out.log"; return 1; }
  curl -s -D "$WORK/serve/headers" -o "$WORK/serve/body.json" --max-time 20 "http://127.0.0.1:$port/v1/chat/completions" \
    -H 'content-type: application/json' -d '{"model":"fast","messages":[{"role":"user","content":"hello"}]}'
  kill "$pid"; wait "$pid" 2>/dev/null
  cat "$WORK/serve/headers" "$WORK/serve/body.json"; echo
  grep -q '^HTTP/1.1 200' "$WORK/serve/headers" || { echo "not a 200"; return 1; }
  grep -qi '^x-switchboard-emulated: true' "$WORK/serve/headers" || { echo "not answered by the emulator"; return 1; }
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["choices"][0]["message"]["content"]; assert m.strip(), "empty answer"; print("answer:", m)' \
    "$WORK/serve/body.json"
}

step_chat() {
  mkdir -p "$WORK/chat"
  (cd "$WORK/chat" && timeout 60 "$TOOLS/switchboard" chat "hello") > "$WORK/chat/out.log" 2>&1 || { cat "$WORK/chat/out.log"; return 1; }
  cat "$WORK/chat/out.log"
  grep -q 'emulator' "$WORK/chat/out.log" && grep -q 'provider' "$WORK/chat/out.log" && grep -q 'attempts' "$WORK/chat/out.log"
}

step_library() {
  local app="$WORK/library-app" port
  mkdir -p "$app"
  # An outside consumer: no Directory.*.props of this repository, its own NuGet.config adding only the local folder.
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$app/$f"; done
  cat > "$app/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="switchboard-local" value="$LOCAL" /></packageSources>
  <fallbackPackageFolders><add key="machine" value="$GLOBAL_PACKAGES" /></fallbackPackageFolders>
</configuration>
EOF
  cat > "$app/LibrarySmoke.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>NU1603;NU1901;NU1902;NU1903;NU1904</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Switchboard" Version="$VERSION" />
  </ItemGroup>
</Project>
EOF
  cat > "$app/Program.cs" <<'EOF'
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Hosting;

// One OpenAI provider: the emulator of the installed tool, whose base URL is the first argument.
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Switchboard:Providers:openai:ApiKey"] = "library-smoke",
    ["Switchboard:Providers:openai:BaseUrl"] = args[0],
}).Build();
var services = new ServiceCollection();
services.AddSwitchboard(configuration);
await using var provider = services.BuildServiceProvider();
var chat = provider.GetRequiredService<IChatClient>();
var response = await chat.GetResponseAsync("hello", new ChatOptions { ModelId = "fast" });
Console.WriteLine($"model: {response.ModelId}");
Console.WriteLine($"answer: {response.Text}");
return string.IsNullOrWhiteSpace(response.Text) ? 1 : 0;
EOF
  (cd "$app" && NUGET_PACKAGES="$RUN_PACKAGES" dotnet build -c Release -nologo -v quiet) || return 1
  # The package used is the one just packed: restored from the local folder, not from any registry.
  grep -q "\"source\": \"$LOCAL" "$RUN_PACKAGES/switchboard/$VERSION/.nupkg.metadata" \
    || { echo "Switchboard $VERSION was not restored from $LOCAL:"; cat "$RUN_PACKAGES/switchboard/$VERSION/.nupkg.metadata"; return 1; }
  port=$(free_port)
  timeout 90 "$TOOLS/switchboard" emulator --urls "http://127.0.0.1:$port" > "$WORK/library-emulator.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/healthz" 30 || { cat "$WORK/library-emulator.log"; return 1; }
  (cd "$app" && timeout 60 dotnet bin/Release/net10.0/LibrarySmoke.dll "http://127.0.0.1:$port/")
  local rc=$?
  kill "$pid"; wait "$pid" 2>/dev/null
  return $rc
}

run_step pack step_pack && run_step install step_install && { run_step serve step_serve; run_step chat step_chat; run_step library step_library; }
exit $failed
