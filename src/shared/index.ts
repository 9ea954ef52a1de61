export * from './domain/ticket';
export * from './domain/stateMachine';
export * from './domain/calendar';
export * from './domain/deadline';
export * from './domain/ticketCode';
export * from './text/searchTokens';
export * from './api/contract';
export type * from './api/types';
