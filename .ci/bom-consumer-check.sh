#!/usr/bin/env bash
# Installs the libraries and the BOM into the local repository (~/.m2) and resolves the five libraries from a consumer project
# that imports only dev.c2cast:c2cast-bom (no Netty or protobuf versions of its own). Prints the resolved tree.
# Usage: .ci/bom-consumer-check.sh   (about a minute)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -n1)
"$root/mvnw" -B -q -f "$root/pom.xml" install -DskipTests -Dmaven.test.skip=true -pl bom,pseudobroadcast,microcast-nc,microcast-download,rtp-h264,streamsmart-tree -am
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>consumer</artifactId><version>1</version>
  <dependencyManagement><dependencies><dependency>
    <groupId>dev.c2cast</groupId><artifactId>c2cast-bom</artifactId><version>$version</version>
    <type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>dev.c2cast</groupId><artifactId>pseudobroadcast</artifactId></dependency>
    <dependency><groupId>dev.c2cast</groupId><artifactId>microcast-nc</artifactId></dependency>
    <dependency><groupId>dev.c2cast</groupId><artifactId>microcast-download</artifactId></dependency>
    <dependency><groupId>dev.c2cast</groupId><artifactId>rtp-h264</artifactId></dependency>
    <dependency><groupId>dev.c2cast</groupId><artifactId>streamsmart-tree</artifactId></dependency>
  </dependencies>
</project>
POM
"$root/mvnw" -B -q -f "$work/pom.xml" dependency:list -DoutputFile="$work/deps.txt"
cat "$work/deps.txt"
for lib in pseudobroadcast microcast-nc microcast-download rtp-h264 streamsmart-tree; do
  grep -q "dev.c2cast:$lib:jar:$version:compile" "$work/deps.txt" || { echo "FAIL: $lib not resolved at $version" >&2; exit 1; }
done
echo "OK: the five libraries resolve at $version through c2cast-bom alone"
