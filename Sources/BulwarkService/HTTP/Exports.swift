// The service answers errors with the envelope and correlation ids of the Hummingbird middleware that
// applications use, so that both speak the same shape; its types are part of the service's API too.
@_exported import BulwarkHummingbird
