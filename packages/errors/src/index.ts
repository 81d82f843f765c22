export { catalogue, type ErrorCode, exposedDetails, type GrpcCodeName, isErrorCode } from './catalogue.ts';
export {
  assertThat,
  ClubError,
  type ErrorDetails,
  invalidInput,
  isClubError,
  notFound,
} from './club-error.ts';
export { isUuid, requireUuid } from './ids.ts';
