/// The OpenAPI 3 document of everything `bulwark serve` answers, served at `GET /api/v1/openapi.json`: the one
/// copy of it. `OpenAPIDocumentTests` checks it against the router's routes, and `SchemaFuzzTests` runs
/// schemathesis from it against a live instance.
enum OpenAPIDocument {
    /// The document as JSON.
    static let json = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "Bulwark admin API",
    "version": "1",
    "description": "Health, metrics, dashboard and the admin API of `bulwark serve`. Reads (GET) are open to anyone who can reach the port; changes (POST) need `Authorization: Bearer <admin token>` and, when they carry a body, `Content-Type: application/json`. Every error is the envelope `{\"error\":{code,message,timestamp,correlationId,details}}`. Every path also answers OPTIONS with 204 and `Allow`."
  },
  "paths": {
    "/health/live": {
      "get": {
        "summary": "Liveness: the process answers",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/health/ready": {
      "get": {
        "summary": "Readiness for traffic",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          },
          "503": {
            "description": "Not ready or unhealthy",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/health": {
      "get": {
        "summary": "Health report: Redis, disk, memory, fallback",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          },
          "503": {
            "description": "Not ready or unhealthy",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "summary": "Every metric in the Prometheus text format",
        "responses": {
          "200": {
            "description": "Metrics",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/": {
      "get": {
        "summary": "The live breaker dashboard",
        "responses": {
          "200": {
            "description": "The page",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/dashboard/app.css": {
      "get": {
        "summary": "The dashboard's stylesheet",
        "responses": {
          "200": {
            "description": "CSS",
            "content": {
              "text/css": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/dashboard/app.js": {
      "get": {
        "summary": "The dashboard's script",
        "responses": {
          "200": {
            "description": "JavaScript",
            "content": {
              "text/javascript": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "summary": "This document",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/instances": {
      "get": {
        "summary": "The live instances of the fleet",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/events": {
      "get": {
        "summary": "The dashboard's live feed as server-sent events (at most maximumEventStreams at once; 503 with Retry-After beyond)",
        "responses": {
          "200": {
            "description": "Events",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/breakers": {
      "get": {
        "summary": "Every registered breaker as the fleet sees it",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/breakers/{name}": {
      "get": {
        "summary": "One breaker as the fleet sees it",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The breaker's name",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            }
          }
        ]
      }
    },
    "/api/v1/breakers/{name}/{action}": {
      "post": {
        "summary": "Force a breaker open, close, reset or disable it on every instance",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The breaker's name",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            }
          },
          {
            "name": "action",
            "in": "path",
            "required": true,
            "description": "What to do",
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "close",
                "reset",
                "disable"
              ]
            }
          }
        ]
      }
    },
    "/api/v1/cache": {
      "get": {
        "summary": "One cache entry as Redis holds it",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "key",
            "in": "query",
            "required": true,
            "description": "The cache key",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 512
            }
          }
        ]
      }
    },
    "/api/v1/cache/invalidate": {
      "post": {
        "summary": "Invalidate cache entries on every instance: exactly one of keys, prefix, tag",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "minProperties": 1,
                "maxProperties": 1,
                "properties": {
                  "keys": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1000,
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 512
                    }
                  },
                  "prefix": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512
                  },
                  "tag": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/sessions": {
      "get": {
        "summary": "A user's sessions, ids shortened to their first 8 characters",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "user",
            "in": "query",
            "required": true,
            "description": "The user",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._@+-]{1,128}$"
            }
          }
        ]
      }
    },
    "/api/v1/sessions/revoke": {
      "post": {
        "summary": "Revoke all of a user's sessions, or one by id: exactly one of user, id",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "minProperties": 1,
                "maxProperties": 1,
                "properties": {
                  "user": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9._@+-]{1,128}$"
                  },
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$"
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/idempotency/{key}": {
      "get": {
        "summary": "An idempotency record, its result shown only by size",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "key",
            "in": "path",
            "required": true,
            "description": "The idempotency key",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "scope",
            "in": "query",
            "required": false,
            "description": "The owner of the key (default: default)",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._:@-]{1,128}$"
            }
          }
        ]
      }
    },
    "/api/v1/idempotency/{key}/delete": {
      "post": {
        "summary": "Delete an idempotency record",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "key",
            "in": "path",
            "required": true,
            "description": "The idempotency key",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "scope",
            "in": "query",
            "required": false,
            "description": "The owner of the key (default: default)",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._:@-]{1,128}$"
            }
          }
        ]
      }
    },
    "/api/v1/dlq/{queue}": {
      "get": {
        "summary": "A page of a queue's dead letters, oldest first",
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "queue",
            "in": "path",
            "required": true,
            "description": "The queue",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "The cursor of the previous page's 'next'",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,20}-[0-9]{1,20}$"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Letters per page",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            }
          }
        ]
      }
    },
    "/api/v1/dlq/{queue}/{id}/retry": {
      "post": {
        "summary": "Retry one letter through this instance's handler",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "queue",
            "in": "path",
            "required": true,
            "description": "The queue",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            }
          },
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The letter's id",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,20}-[0-9]{1,20}$"
            }
          }
        ]
      }
    },
    "/api/v1/dlq/{queue}/retry": {
      "post": {
        "summary": "Retry the oldest letters, one after another",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "queue",
            "in": "path",
            "required": true,
            "description": "The queue",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "limit"
                ],
                "properties": {
                  "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1000
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/dlq/{queue}/purge": {
      "post": {
        "summary": "Delete letters older than olderThanSeconds",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The change was made",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "default": {
            "description": "An error, in the envelope",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorEnvelope"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "queue",
            "in": "path",
            "required": true,
            "description": "The queue",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._-]{1,64}$"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "olderThanSeconds"
                ],
                "properties": {
                  "olderThanSeconds": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 315360000
                  }
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "adminToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "BULWARK_ADMIN_TOKEN: 16 to 4096 visible ASCII characters"
      }
    },
    "schemas": {
      "ErrorEnvelope": {
        "type": "object",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "object",
            "required": [
              "code",
              "message",
              "timestamp",
              "correlationId",
              "details"
            ],
            "properties": {
              "code": {
                "type": "string"
              },
              "message": {
                "type": "string"
              },
              "timestamp": {
                "type": "string",
                "format": "date-time"
              },
              "correlationId": {
                "type": "string"
              },
              "details": {
                "type": "object"
              }
            }
          }
        }
      }
    }
  }
}
"""#
}
