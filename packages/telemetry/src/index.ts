export type { DependencyReport, DependencyState } from './dependency-monitor.ts';
export { ErrorsOnlyLogController, RequestLogController } from './log-controller.ts';
export { createMetrics, httpDurationBuckets, type Metrics, type MetricsOptions } from './metrics.ts';
export {
  type OpsRoutes,
  type OpsRoutesOptions,
  type ReadinessBody,
  type ReadinessCheck,
  registerOpsRoutes,
} from './ops-routes.ts';
export { registerRestErrorHandler } from './rest-errors.ts';
export { startTracing, type Tracing, type TracingOptions } from './tracing.ts';
