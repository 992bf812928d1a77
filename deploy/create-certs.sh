#!/usr/bin/env bash
# Creates the stack's CA and node certificates once (run by the `certs` service
# in the Elasticsearch image, whose elasticsearch-certutil it uses).
set -euo pipefail
cd /usr/share/elasticsearch
certs=config/certs

if [ ! -f "$certs/ca.zip" ]; then
  echo "Creating the certificate authority"
  bin/elasticsearch-certutil ca --silent --pem -out "$certs/ca.zip"
  unzip -o -q "$certs/ca.zip" -d "$certs"
fi

if [ ! -f "$certs/certs.zip" ]; then
  echo "Creating the node certificates"
  cat > "$certs/instances.yml" <<'YAML'
instances:
  - name: elasticsearch
    dns: [elasticsearch, localhost]
    ip: [127.0.0.1]
  - name: kibana
    dns: [kibana, localhost]
    ip: [127.0.0.1]
YAML
  bin/elasticsearch-certutil cert --silent --pem -out "$certs/certs.zip" \
    --in "$certs/instances.yml" --ca-cert "$certs/ca/ca.crt" --ca-key "$certs/ca/ca.key"
  unzip -o -q "$certs/certs.zip" -d "$certs"
fi

# Readable by the Elasticsearch, Kibana and newswatch users (different uids);
# the CA key stays root-only.
chown -R root:root "$certs"
find "$certs" -type d -exec chmod 755 {} \;
find "$certs" -type f -exec chmod 644 {} \;
chmod 600 "$certs/ca/ca.key" "$certs/ca.zip"
echo "Certificates ready"
