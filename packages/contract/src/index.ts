export * from './cookie'
export * from './wire'
