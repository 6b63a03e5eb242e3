# An application embedding Strata on Nomad (HCL2, Nomad 1.6+): strata jvm-metrics, the embedding
# example, records its own JVM's metrics into a Strata database in its allocation directory, serves
# them over the StoreAPI to the querier of monitoring.nomad (which lists the Consul service
# strata-embedded) and ships each 2 h block it cuts to the monitoring stack's bucket, where the
# store gateway and the compactor take them over. No Prometheus and no sidecar: one process does
# what the two do. See README.md in this directory for the variable to set.
#
#   nomad job run -var='strata_jar_url=...' -var='strata_jar_sha256=...' \
#     -var='bucket=...' -var='region=...' strata-embedded.nomad

variable "datacenters" {
  description = "Datacenters the job may run in."
  type        = list(string)
  default     = ["*"]
}

variable "cluster" {
  description = "The external label cluster=... of everything this service serves and ships: the same as the Prometheus servers' of monitoring.nomad, so that one selector finds the cluster's data."
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
  description = "The S3 bucket the blocks are shipped to: the monitoring stack's, which its store gateway serves and its compactor compacts. It must exist: Strata never creates one."
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

locals {
  # The lines of jvm.options at the repository root, which the ./strata launcher passes too:
  # chronicle-bytes reaches into these JDK internals. Kept here in step with that file (and with
  # monitoring.nomad's).
  strata_jvm_options = [
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    # A JVM out of heap is left half-working; exiting lets Nomad's restart policy start it afresh.
    "-XX:+ExitOnOutOfMemoryError",
  ]

  # The bucket configuration (Thanos's objstore YAML, which Strata reads). Only the bucket's
  # coordinates are job variables; the credentials come from the Nomad Variable
  # nomad/jobs/strata-embedded, which this job's tasks may read and nobody else sees in the job
  # (a job reads the variables under nomad/jobs/<its name> without any policy). AWS keys hold no
  # quote or backslash, so double quotes are safe around them.
  objstore_template = <<-EOT
  type: S3
  config:
    bucket: "${var.bucket}"
    region: "${var.region}"
    endpoint: "${var.s3_endpoint}"
    insecure: ${var.s3_insecure}
  {{- with nomadVar "nomad/jobs/strata-embedded" }}
    access_key: "{{ .access_key }}"
    secret_key: "{{ .secret_key }}"
  {{- end }}
  EOT
}

job "strata-embedded" {
  datacenters = var.datacenters
  type        = "service"

  # Strata runs on the client's Java through the java driver: it is built for Java 17.
  constraint {
    attribute = "${attr.driver.java.version}"
    operator  = "version"
    value     = ">= 17"
  }

  # One allocation at a time, healthy (every Consul check passing) for 30 s before the next one
  # moves; a deployment that does not become healthy goes back to the last good version. No
  # canaries: a new allocation takes the old one's data directory over (see ephemeral_disk), which
  # it can only do once the old one has stopped and let go of the database's lock.
  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "30s"
    healthy_deadline  = "5m"
    progress_deadline = "10m"
    auto_revert       = true
  }

  group "strata-embedded" {
    # Each allocation is a service of its own, recording its own JVM, with its own data directory
    # and its own instance label (below): more instances are more series, not replicas of the
    # same ones.
    count = 1

    network {
      port "grpc" {}
      port "http" {}
    }

    # The database's write-ahead log holds every sample not yet in a block, up to 3 h of them;
    # blocks are cut, and shipped, only when 2 h are complete. A task restarted in place keeps its
    # allocation directory anyway; sticky keeps it for the allocation that replaces this one on
    # the same client (a new version of the job), and migrate moves it to another client where
    # Nomad can: the new allocation replays the WAL and ships those hours as part of its next
    # block. Without it each deployment would drop the hours since the last block, never shipped.
    # A few MiB of WAL and blocks per hour for these series; the blocks stay for the database's
    # 15-day retention, the bucket keeps them for good.
    ephemeral_disk {
      sticky  = true
      migrate = true
      size    = 1024
    }

    restart {
      attempts = 3
      interval = "10m"
      delay    = "15s"
      mode     = "delay"
    }

    # The WAL is on the client's disk, so a replacement is worth trying on another client only
    # after restarts in place have failed; no limit, but backing off.
    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    task "strata-embedded" {
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
        # The head keeps its chunks off the heap; the heap holds the series (a few dozen here),
        # the StoreAPI's answers in flight and the uploads' buffers.
        jvm_options = concat(local.strata_jvm_options, ["-Xmx256m"])
        args = [
          "jvm-metrics",
          "--data-dir=${NOMAD_ALLOC_DIR}/data/jvm-metrics",
          "--grpc-address=${NOMAD_ADDR_grpc}",
          "--http-address=${NOMAD_ADDR_http}",
          "--objstore.config-file=${NOMAD_SECRETS_DIR}/objstore.yml",
          # The external labels of what it serves and ships, unique to this allocation as Thanos
          # requires of every producer of blocks. instance, not replica: the querier of
          # monitoring.nomad merges series that differ by replica only, and two instances of
          # this job are two services, not copies of one. Quoted as in Thanos (--label=name="value").
          "--label=cluster=\"${var.cluster}\"",
          "--label=instance=\"${NOMAD_ALLOC_ID}\"",
          # A stop closes the HTTP then the gRPC listener, each waiting for its calls in flight,
          # then ships the blocks cut since the last sync and closes the database: all of it
          # within kill_timeout (30 s below, the client's default maximum) before Nomad sends
          # SIGKILL, hence shorter grace periods than the monitoring stack's servers.
          "--http-grace-period=5s",
          "--grpc-grace-period=10s",
        ]
      }

      # In the secrets directory, which only this task sees; a changed credential needs a new
      # connection, hence a restart (the WAL keeps what was recorded).
      template {
        destination = "secrets/objstore.yml"
        change_mode = "restart"
        data        = local.objstore_template
      }

      service {
        name = "strata-embedded"
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

      # Prometheus of monitoring.nomad scrapes this one (its strata job lists strata-embedded on
      # the tag http): the process's own metrics, the shipper's among them.
      service {
        name = "strata-embedded"
        port = "http"
        tags = ["http"]

        # Ready once the database is open (its WAL replayed) and both listeners are up.
        check {
          type     = "http"
          path     = "/-/ready"
          interval = "10s"
          timeout  = "3s"
        }
      }

      # Its services leave Consul first, and so the querier's targets, 5 s before the stop
      # signal: no new call arrives while it stops.
      shutdown_delay = "5s"
      kill_timeout   = "30s"

      # Heap 256 MiB plus metaspace, threads, gRPC's direct buffers and the head's off-heap chunks.
      resources {
        cpu    = 200
        memory = 512
      }
    }
  }
}
