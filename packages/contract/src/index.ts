export * from './cookie'
export * from './wire'
export * from './mint'
export * from './companion'
