# Fabio, the HTTP router in front of the monitoring job (HCL2, Nomad 1.6+). A system job: one
# Fabio on every client, so any client's address reaches every UI. Fabio builds its routes from
# the Consul services whose tags start with urlprefix- and whose checks pass: /prometheus goes to
# Prometheus, /strata to the Strata querier. It forwards the path as it is, which is why those
# servers serve every route below their prefix (--web.route-prefix).
#
#   nomad job run fabio.nomad
#   UI:    http://<client>:9998/
#   proxy: http://<client>:9999/prometheus, http://<client>:9999/strata

variable "datacenters" {
  description = "Datacenters the job may run in."
  type        = list(string)
  default     = ["*"]
}

variable "fabio_image" {
  type    = string
  default = "fabiolb/fabio:1.6.3"
}

variable "consul_address" {
  description = "The Consul agent Fabio reads its routes from; Fabio runs in the host's network, so the client's local agent on loopback."
  type        = string
  default     = "127.0.0.1:8500"
}

job "fabio" {
  datacenters = var.datacenters
  type        = "system"

  update {
    max_parallel = 1
    stagger      = "10s"
  }

  group "fabio" {
    # Static ports: users and Grafana reach every client on the same two ports.
    network {
      port "lb" {
        static = 9999
      }
      port "ui" {
        static = 9998
      }
    }

    restart {
      attempts = 5
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "fabio" {
      driver = "docker"

      config {
        image = var.fabio_image
        # The host's network: Fabio listens on the static ports directly and reaches the local
        # Consul agent and every service's address without a port mapping.
        network_mode = "host"
      }

      # Fabio reads every property from an environment variable of the same name with dots
      # replaced by underscores.
      env {
        registry_consul_addr = var.consul_address
        proxy_addr           = ":9999"
        ui_addr              = ":9998"
      }

      service {
        name = "fabio"
        port = "ui"
        tags = ["http"]

        check {
          type     = "tcp"
          interval = "10s"
          timeout  = "3s"
        }
      }

      # A Go proxy in front of a handful of UIs and APIs.
      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
