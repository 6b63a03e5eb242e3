# The monitoring stack on Nomad (HCL2, Nomad 1.6+): Prometheus with a Strata sidecar shipping its
# blocks to an S3 bucket, a Strata store gateway serving that bucket, the Strata compactor, and a
# Strata querier giving one global view through Fabio. See README.md in this directory for the
# cluster it needs, the variables to set and how to reach the UIs.
#
#   nomad job run -var='strata_jar_url=...' -var='strata_jar_sha256=...' \
#     -var='bucket=...' -var='region=...' monitoring.nomad

variable "datacenters" {
  description = "Datacenters the job may run in."
  type        = list(string)
  default     = ["*"]
}

variable "cluster" {
  description = "The external label cluster=... every Prometheus adds, telling this cluster's data apart in a shared bucket."
  type        = string
  default     = "nomad"
}

variable "strata_jar_url" {
  description = "Where Nomad's artifact downloader fetches strata.jar (examples/target/strata.jar of a build), e.g. an https:// or s3:: URL."
  type        = string
}

variable "strata_jar_sha256" {
  description = "SHA-256 of strata.jar (sha256sum examples/target/strata.jar): a jar that does not match is not run."
  type        = string
}

variable "bucket" {
  description = "The S3 bucket the sidecars ship to and the store and compactor read. It must exist: Strata never creates one."
  type        = string
}

variable "region" {
  description = "The bucket's region."
  type        = string
}

variable "s3_endpoint" {
  description = "The S3 endpoint, host[:port] (e.g. s3.eu-west-1.amazonaws.com, or a MinIO server)."
  type        = string
  default     = "s3.amazonaws.com"
}

variable "s3_insecure" {
  description = "Talk plain HTTP to the endpoint (a MinIO without TLS); never for AWS."
  type        = bool
  default     = false
}

variable "consul_address" {
  description = "The Consul agent Prometheus asks for scrape targets. Prometheus runs in the host's network, so the client's local agent on loopback is the default."
  type        = string
  default     = "127.0.0.1:8500"
}

variable "prometheus_image" {
  type    = string
  default = "prom/prometheus:v2.42.0"
}

variable "retention_raw" {
  description = "How long the compactor keeps raw blocks in the bucket; 0d keeps them for ever."
  type        = string
  default     = "0d"
}

variable "retention_5m" {
  description = "How long the compactor keeps 5m-downsampled blocks; 0d keeps them for ever."
  type        = string
  default     = "0d"
}

variable "retention_1h" {
  description = "How long the compactor keeps 1h-downsampled blocks; 0d keeps them for ever."
  type        = string
  default     = "0d"
}

locals {
  # The lines of jvm.options at the repository root, which the ./strata launcher passes too:
  # chronicle-bytes reaches into these JDK internals. Kept here in step with that file.
  strata_jvm_options = [
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    # A JVM out of heap is left half-working; exiting lets Nomad's restart policy start it afresh.
    "-XX:+ExitOnOutOfMemoryError",
  ]

  # The bucket configuration (Thanos's objstore YAML, which Strata reads) for the sidecar, store
  # and compactor. Only the bucket's coordinates are job variables; the credentials come from the
  # Nomad Variable nomad/jobs/monitoring, which this job's tasks may read and nobody else sees in
  # the job. AWS keys hold no quote or backslash, so double quotes are safe around them.
  objstore_template = <<-EOT
  type: S3
  config:
    bucket: "${var.bucket}"
    region: "${var.region}"
    endpoint: "${var.s3_endpoint}"
    insecure: ${var.s3_insecure}
  {{- with nomadVar "nomad/jobs/monitoring" }}
    access_key: "{{ .access_key }}"
    secret_key: "{{ .secret_key }}"
  {{- end }}
  EOT

  # Stops must finish within Nomad's kill_timeout (30 s below, the client's default maximum):
  # calls in flight get 20 s, then the JVM exits before Nomad sends SIGKILL.
  grace_periods = ["--grpc-grace-period=20s", "--http-grace-period=20s"]
}

job "monitoring" {
  datacenters = var.datacenters
  type        = "service"

  # Every group has a Strata task, which runs on the client's Java through the java driver: Strata
  # is built for Java 17.
  constraint {
    attribute = "${attr.driver.java.version}"
    operator  = "version"
    value     = ">= 17"
  }

  # One allocation at a time, healthy (every Consul check passing) for 30 s before the next one
  # moves; a deployment that does not become healthy goes back to the last good version.
  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "30s"
    healthy_deadline  = "5m"
    progress_deadline = "10m"
    auto_revert       = true
  }

  # Prometheus, and the Strata sidecar beside it: the sidecar serves Prometheus's recent data over
  # the StoreAPI and ships each 2 h block Prometheus cuts to the bucket. They share the host volume
  # (Prometheus writes, the sidecar reads and keeps its upload bookkeeping there) and the host's
  # network (the sidecar calls Prometheus's HTTP API).
  group "prometheus" {
    count = 1

    # Two Prometheus servers on one client would share the one host volume.
    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    volume "prometheus" {
      type      = "host"
      source    = "prometheus"
      read_only = false
    }

    network {
      port "prometheus_http" {}
      port "sidecar_grpc" {}
      port "sidecar_http" {}
    }

    restart {
      attempts = 3
      interval = "10m"
      delay    = "30s"
      mode     = "delay"
    }

    # The data lives on the client's host volume, so a replacement is worth trying on another
    # client only after restarts in place have failed; no limit, but backing off.
    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    task "prometheus" {
      driver = "docker"

      config {
        image = var.prometheus_image
        # The host's network: Prometheus binds the port Nomad gave it on the client's address,
        # where the sidecar (a java task, also in the host's network) and Consul's checks reach it.
        network_mode = "host"
        args = [
          "--config.file=${NOMAD_TASK_DIR}/prometheus.yml",
          "--storage.tsdb.path=/prometheus",
          "--web.listen-address=${NOMAD_ADDR_prometheus_http}",
          # Behind Fabio under /prometheus: links point there and every route is served below it.
          "--web.external-url=http://${NOMAD_IP_prometheus_http}:9999/prometheus",
          "--web.route-prefix=/prometheus",
          # Equal block durations turn Prometheus's own compaction off: the sidecar ships every
          # 2 h block as it is cut, and the Strata compactor compacts them in the bucket.
          "--storage.tsdb.min-block-duration=2h",
          "--storage.tsdb.max-block-duration=2h",
        ]
      }

      volume_mount {
        volume      = "prometheus"
        destination = "/prometheus"
        read_only   = false
      }

      # Prometheus's configuration. The external labels must tell every Prometheus apart: the
      # querier deduplicates HA replicas by the replica label, and the bucket's blocks are grouped
      # by their labels. The allocation's ID is unique to this Prometheus.
      template {
        destination = "local/prometheus.yml"
        # Prometheus re-reads its configuration on SIGHUP; no restart, no gap in the scrapes.
        change_mode   = "signal"
        change_signal = "SIGHUP"
        data          = <<-EOH
        global:
          scrape_interval: 15s
          evaluation_interval: 15s
          external_labels:
            cluster: "${var.cluster}"
            replica: "{{ env "NOMAD_ALLOC_ID" }}"

        scrape_configs:
          # The Nomad agents' telemetry (the clients' telemetry stanza must say
          # prometheus_metrics = true): every agent registers itself in Consul with the tag http.
          - job_name: nomad
            metrics_path: /v1/metrics
            params:
              format: [prometheus]
            consul_sd_configs:
              - server: "${var.consul_address}"
                services: [nomad-client, nomad]
                tags: [http]
            relabel_configs:
              - source_labels: [__meta_consul_node]
                target_label: node

          # Strata's servers, on their HTTP ports; a server behind a route prefix says where its
          # metrics are in the service's meta (metrics_path).
          - job_name: strata
            consul_sd_configs:
              - server: "${var.consul_address}"
                services: [strata-sidecar, strata-store, strata-compactor, strata-query, strata-embedded]
                tags: [http]
            relabel_configs:
              - source_labels: [__meta_consul_service]
                target_label: job
              - source_labels: [__meta_consul_service_metadata_metrics_path]
                regex: (.+)
                target_label: __metrics_path__

          - job_name: prometheus
            metrics_path: /prometheus/metrics
            consul_sd_configs:
              - server: "${var.consul_address}"
                services: [prometheus]
                tags: [http]
        EOH
      }

      service {
        name = "prometheus"
        port = "prometheus_http"
        tags = ["http", "urlprefix-/prometheus"]

        check {
          type     = "http"
          path     = "/prometheus/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      # Prometheus's memory follows the series it holds; a cluster's Nomad telemetry and Strata's
      # own metrics are a few tens of thousands of series.
      resources {
        cpu    = 500
        memory = 1024
      }
    }

    task "strata-sidecar" {
      driver = "java"

      artifact {
        source      = var.strata_jar_url
        destination = "local/strata.jar"
        mode        = "file"
        options {
          checksum = "sha256:${var.strata_jar_sha256}"
        }
      }

      config {
        jar_path = "local/strata.jar"
        # It streams Prometheus's answers and uploads blocks file by file: a small heap.
        jvm_options = concat(local.strata_jvm_options, ["-Xmx512m"])
        args = concat([
          "sidecar",
          # The host volume, mounted at the same place as in the Prometheus container.
          "--tsdb.path=/prometheus",
          "--prometheus.url=http://${NOMAD_ADDR_prometheus_http}/prometheus",
          "--grpc-address=${NOMAD_ADDR_sidecar_grpc}",
          "--http-address=${NOMAD_ADDR_sidecar_http}",
          "--objstore.config-file=${NOMAD_SECRETS_DIR}/objstore.yml",
        ], local.grace_periods)
      }

      # Prometheus's image runs as nobody (65534), as java tasks do by default: the sidecar can
      # read its blocks and keep its upload state beside them.
      volume_mount {
        volume      = "prometheus"
        destination = "/prometheus"
        read_only   = false
      }

      # In the secrets directory, which only this task sees; a changed credential needs a new
      # connection, hence a restart.
      template {
        destination = "secrets/objstore.yml"
        change_mode = "restart"
        data        = local.objstore_template
      }

      service {
        name = "strata-sidecar"
        port = "sidecar_grpc"
        tags = ["grpc"]

        # Listed for the querier only once the server is ready: the check asks the HTTP
        # port's /-/ready, not merely whether the gRPC port is open.
        check {
          type     = "http"
          port     = "sidecar_http"
          path     = "/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      service {
        name = "strata-sidecar"
        port = "sidecar_http"
        tags = ["http"]

        # Ready once Prometheus answers.
        check {
          type     = "http"
          path     = "/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      # Its services leave Consul first, and so the querier's targets (and Fabio's routes), 5 s
      # before the stop signal: no new call arrives while it stops.
      shutdown_delay = "5s"
      kill_timeout   = "30s"

      resources {
        cpu    = 250
        memory = 768
      }
    }
  }

  # The store gateway: serves every block in the bucket over the StoreAPI, keeping index headers
  # on local disk and index and chunk ranges in memory.
  group "strata-store" {
    # More instances serve the same blocks; the querier merges what they send.
    count = 1

    network {
      port "grpc" {}
      port "http" {}
    }

    # Index headers are rebuilt from the bucket when missing, which costs a few ranged reads per
    # block: kept across restarts and, where possible, on the same client.
    ephemeral_disk {
      sticky  = true
      migrate = true
      size    = 2048
    }

    restart {
      attempts = 3
      interval = "10m"
      delay    = "30s"
      mode     = "delay"
    }

    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    task "strata-store" {
      driver = "java"

      artifact {
        source      = var.strata_jar_url
        destination = "local/strata.jar"
        mode        = "file"
        options {
          checksum = "sha256:${var.strata_jar_sha256}"
        }
      }

      config {
        jar_path = "local/strata.jar"
        # The caches below take half of the heap; the rest holds the queries' working sets
        # (benchmarks/RESULTS.md: 1,000 series x 24 h warm in a 256 MiB heap with 128 MB of caches).
        jvm_options = concat(local.strata_jvm_options, ["-Xmx1g"])
        args = concat([
          "store",
          "--grpc-address=${NOMAD_ADDR_grpc}",
          "--http-address=${NOMAD_ADDR_http}",
          "--objstore.config-file=${NOMAD_SECRETS_DIR}/objstore.yml",
          "--data-dir=${NOMAD_ALLOC_DIR}/data/store",
          "--index-cache-size=250MB",
          "--chunk-cache-size=256MB",
        ], local.grace_periods)
      }

      template {
        destination = "secrets/objstore.yml"
        change_mode = "restart"
        data        = local.objstore_template
      }

      service {
        name = "strata-store"
        port = "grpc"
        tags = ["grpc"]

        # Listed for the querier only once the server is ready: the check asks the HTTP
        # port's /-/ready, not merely whether the gRPC port is open.
        check {
          type     = "http"
          port     = "http"
          path     = "/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      service {
        name = "strata-store"
        port = "http"
        tags = ["http"]

        # Ready after the first sync of the bucket: its blocks listed and opened.
        check {
          type     = "http"
          path     = "/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      # Its services leave Consul first, and so the querier's targets (and Fabio's routes), 5 s
      # before the stop signal: no new call arrives while it stops.
      shutdown_delay = "5s"
      kill_timeout   = "30s"

      # Heap 1 GiB plus metaspace, threads and gRPC's direct buffers.
      resources {
        cpu    = 500
        memory = 1536
      }
    }
  }

  # The compactor: compacts the sidecars' 2 h blocks into larger ones, downsamples them and applies
  # retention, in the bucket.
  group "strata-compactor" {
    # Exactly one. Thanos requires one compactor per bucket: two would compact the same blocks
    # twice and each delete the other's sources. Strata's compactor also claims the bucket with a
    # lease object, strata-compactor-lock.json, renewed while it runs and removed when it stops;
    # a second compactor finds the lease live and refuses to start.
    count = 1

    network {
      port "http" {}
    }

    # Scratch space: the sources of one compaction and its result (benchmarks/RESULTS.md: scratch
    # 0.68x the merged blocks). Size it to the largest group window of the bucket.
    ephemeral_disk {
      sticky = true
      size   = 20480
    }

    # A replacement started while a crashed compactor's lease is still live (90 s) exits and
    # refuses; restarting after a delay lets the lease run out, then it takes the bucket over. The
    # same compactor restarted in place (same client, same scratch directory) takes its lease back
    # at once.
    restart {
      attempts = 5
      interval = "10m"
      delay    = "45s"
      mode     = "delay"
    }

    reschedule {
      delay          = "1m"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    task "strata-compactor" {
      driver = "java"

      artifact {
        source      = var.strata_jar_url
        destination = "local/strata.jar"
        mode        = "file"
        options {
          checksum = "sha256:${var.strata_jar_sha256}"
        }
      }

      config {
        jar_path = "local/strata.jar"
        # Ample: a compaction of 100,000 series peaked at 77 MiB of heap (benchmarks/RESULTS.md,
        # compaction on the bucket); chunks are copied, not decoded, where nothing overlaps.
        jvm_options = concat(local.strata_jvm_options, ["-Xmx512m"])
        args = [
          "compact",
          # Keep running, a pass every 5 minutes, instead of one pass and exit.
          "--wait",
          "--wait-interval=5m",
          "--http-address=${NOMAD_ADDR_http}",
          "--http-grace-period=20s",
          "--objstore.config-file=${NOMAD_SECRETS_DIR}/objstore.yml",
          "--data-dir=${NOMAD_ALLOC_DIR}/data/compact",
          "--retention.resolution-raw=${var.retention_raw}",
          "--retention.resolution-5m=${var.retention_5m}",
          "--retention.resolution-1h=${var.retention_1h}",
        ]
      }

      template {
        destination = "secrets/objstore.yml"
        change_mode = "restart"
        data        = local.objstore_template
      }

      service {
        name = "strata-compactor"
        port = "http"
        tags = ["http"]

        check {
          type     = "http"
          path     = "/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      kill_timeout = "30s"

      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }

  # The querier: Prometheus's HTTP API and a UI over every sidecar and store, found in Consul.
  group "strata-query" {
    # Stateless: add instances freely; Fabio spreads /strata over them.
    count = 1

    network {
      port "grpc" {}
      port "http" {}
    }

    restart {
      attempts = 3
      interval = "10m"
      delay    = "15s"
      mode     = "delay"
    }

    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    task "strata-query" {
      driver = "java"

      artifact {
        source      = var.strata_jar_url
        destination = "local/strata.jar"
        mode        = "file"
        options {
          checksum = "sha256:${var.strata_jar_sha256}"
        }
      }

      config {
        jar_path = "local/strata.jar"
        # A range query holds the samples it selected, 16 bytes each, for its whole range.
        jvm_options = concat(local.strata_jvm_options, ["-Xmx1g"])
        args = concat([
          "query",
          "--grpc-address=${NOMAD_ADDR_grpc}",
          "--http-address=${NOMAD_ADDR_http}",
          # Behind Fabio under /strata: every route, the UI's and the API's, is served below it.
          "--web.route-prefix=/strata",
          "--web.external-prefix=/strata",
          "--store.sd-files=${NOMAD_TASK_DIR}/targets.yml",
          # The Prometheus replicas differ by this external label only: merge them.
          "--query.replica-label=replica",
        ], local.grace_periods)
      }

      # The StoreAPI endpoints, as a Prometheus file_sd file: every healthy instance of the
      # sidecars', stores' and embedded Strata services on their gRPC ports (Consul lists an
      # instance once its checks pass, and drops it when they fail or it is stopped).
      #
      # noop: the querier watches this file and re-reads it within moments of a change, so
      # neither a restart nor a signal is needed, and no query in flight is lost.
      template {
        destination = "local/targets.yml"
        change_mode = "noop"
        data        = <<-EOH
        - targets:{{ range service "strata-sidecar" }}{{ if .Tags | contains "grpc" }}
            - '{{ .Address }}:{{ .Port }}'{{ end }}{{ end }}
        - targets:{{ range service "strata-store" }}{{ if .Tags | contains "grpc" }}
            - '{{ .Address }}:{{ .Port }}'{{ end }}{{ end }}
        - targets:{{ range service "strata-embedded" }}{{ if .Tags | contains "grpc" }}
            - '{{ .Address }}:{{ .Port }}'{{ end }}{{ end }}
        EOH
      }

      service {
        name = "strata-query"
        port = "grpc"
        tags = ["grpc"]

        check {
          type     = "http"
          port     = "http"
          path     = "/strata/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      service {
        name = "strata-query"
        port = "http"
        tags = ["http", "urlprefix-/strata"]
        # Where Prometheus finds the metrics (see its strata scrape job).
        meta {
          metrics_path = "/strata/metrics"
        }

        check {
          type     = "http"
          path     = "/strata/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      # Its services leave Consul first, and so the querier's targets (and Fabio's routes), 5 s
      # before the stop signal: no new call arrives while it stops.
      shutdown_delay = "5s"
      kill_timeout   = "30s"

      resources {
        cpu    = 500
        memory = 1536
      }
    }
  }
}
