// `import Bulwark` is all an application needs: the policies and the shared stores come with it.
@_exported import Resilience
@_exported import SharedState
