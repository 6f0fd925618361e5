@echo off
rem The retina command of the distribution archive on Windows: needs a Java 25 (JAVA_HOME or java on PATH).
setlocal
set "HOME_DIR=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
rem training's vector kernels reach C2 sooner with a lower threshold; a short command would lose its cores to it
set "LONG="
if /i "%~1"=="train" set "LONG=-XX:CompileThresholdScaling=0.25"
"%JAVA%" --add-modules jdk.incubator.vector -XX:+UseSerialGC --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xmn64m -Djdk.reflect.useNativeAccessorOnly=true %LONG% %RETINA_JAVA_OPTS% -cp "%HOME_DIR%\lib\*" org.retina.cli.Main %*
exit /b %ERRORLEVEL%
