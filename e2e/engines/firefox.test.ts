/** The attribution scenarios in Firefox (Debian's firefox-esr, headless, WebDriver BiDi). */
import { firefox } from './firefox'
import { attributionScenarios, useEngine } from './scenarios'

const engine = firefox()
useEngine(engine)
attributionScenarios(engine)
