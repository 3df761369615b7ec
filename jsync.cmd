@echo off
rem Runs the jsync command on Windows, as ./jsync does elsewhere. On first use (no jar yet) it
rem builds the runnable jars through the Maven wrapper, tests skipped; after changing the sources,
rem run "mvnw.cmd -q -B -DskipTests -pl sync-cli -am package" again (this script does not compare
rem times). Needs only a JDK 17+ on PATH or in JAVA_HOME.
rem
rem It runs sync-cli\target\jsync-windows-x86_64.jar (only the Windows x64 native libraries) on
rem 64-bit x86 Windows, else sync-cli\target\jsync.jar, the build machine's jar. JSYNC_JAVA_OPTS
rem replaces the JVM settings below (-XX:+ExitOnOutOfMemoryError is kept unless they mention
rem OutOfMemoryError); docs\deploy.md explains each.
setlocal
set "root=%~dp0"
set "built=%root%sync-cli\target\jsync.jar"

if not exist "%built%" (
  echo jsync: building the runnable jar ^(first run^)... 1>&2
  pushd "%root%"
  call "%root%mvnw.cmd" -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl sync-cli -am package 1>&2
  popd
  if not exist "%built%" exit /b 1
)

set "jar=%built%"
if /i "%PROCESSOR_ARCHITECTURE%"=="AMD64" if exist "%root%sync-cli\target\jsync-windows-x86_64.jar" set "jar=%root%sync-cli\target\jsync-windows-x86_64.jar"

if defined JAVA_HOME (set "java=%JAVA_HOME%\bin\java.exe") else (set "java=java")

set "opts=%JSYNC_JAVA_OPTS%"
if not defined opts set "opts=-Xms16m -Xmx128m -XX:+UseSerialGC -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:-ShrinkHeapInSteps -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=64m -XX:-UsePerfData -XX:+IgnoreUnrecognizedVMOptions"
echo %opts% | findstr /c:"OutOfMemoryError" >nul || set "opts=%opts% -XX:+ExitOnOutOfMemoryError"

"%java%" %opts% --enable-native-access=ALL-UNNAMED -jar "%jar%" %*
exit /b %ERRORLEVEL%
