# Builds the one-folder Wegwijs bundle on Windows with the same PyInstaller spec as build-linux.sh
# (installer/wegwijs.spec: wegwijs.exe with a console, wegwijs-gui.exe without one), then the MSI
# (installer/windows/wegwijs.wxs, WiX Toolset 3: candle + light, with heat for the file list).
#
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
#
# Needs: Python 3.11 (py launcher) and the WiX Toolset 3.x on PATH (candle.exe, light.exe, heat.exe).
# Output: build\installer\dist\wegwijs\ and build\installer\wegwijs-VERSION-x64.msi
$ErrorActionPreference = "Stop"
$repo = Split-Path -Parent $PSScriptRoot
Set-Location $repo
$out = Join-Path $repo "build\installer"

if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
& .venv\Scripts\python.exe -m pip install -q -e ".[bundle]"
if ($LASTEXITCODE -ne 0) { throw "pip install is mislukt" }

if (Test-Path "$out\dist") { Remove-Item -Recurse -Force "$out\dist" }
& .venv\Scripts\python.exe -m PyInstaller --noconfirm --log-level WARN `
    --distpath "$out\dist" --workpath "$out\work" installer\wegwijs.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller is mislukt" }
& .venv\Scripts\python.exe installer\compile_catalogs.py "$out\dist\wegwijs\_internal\resources\translations"
if ($LASTEXITCODE -ne 0) { throw "catalogi compileren is mislukt" }

$version = (& "$out\dist\wegwijs\wegwijs.exe" --version).Split(" ")[1]
$bundle = "$out\dist\wegwijs"
# The file list of the bundle (one component per file), then the package itself.
& heat.exe dir $bundle -nologo -gg -sfrag -srd -sreg -cg BundleFiles -dr INSTALLFOLDER -var var.BundleDir `
    -out "$out\bundle-files.wxs"
& candle.exe -nologo -arch x64 "-dVersion=$version" "-dBundleDir=$bundle" "-dIconDir=$repo\installer\icons" `
    -out "$out\" installer\windows\wegwijs.wxs "$out\bundle-files.wxs"
& light.exe -nologo -ext WixUIExtension -out "$out\wegwijs-$version-x64.msi" "$out\wegwijs.wixobj" "$out\bundle-files.wixobj"
if ($LASTEXITCODE -ne 0) { throw "WiX (light) is mislukt" }
Write-Host "build-windows: $out\wegwijs-$version-x64.msi"
