/** The attribution scenarios in WebKit (WebKitGTK, tracking prevention on). */
import { attributionScenarios, useEngine } from './scenarios'
import { webkit } from './webkit'

const engine = webkit()
useEngine(engine)
attributionScenarios(engine)
