@echo off
rem The retina command of the distribution archive on Windows: needs a Java 25 (JAVA_HOME or java on PATH).
setlocal
set "HOME_DIR=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" --add-modules jdk.incubator.vector -XX:+UseParallelGC --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xmn64m -XX:CompileThresholdScaling=0.25 %RETINA_JAVA_OPTS% -cp "%HOME_DIR%\lib\*" org.retina.cli.Main %*
exit /b %ERRORLEVEL%
