{
  "effects": [
    {
      "campaignId": "<campaignId-1>",
      "effectType": "rollbackAddedLoyaltyPoints",
      "props": {
        "programId": "<programId-1>",
        "recipientIntegrationId": "dave",
        "subLedgerId": "",
        "transactionUUID": "<transactionUUID-1>",
        "value": 10
      },
      "ruleIndex": 0,
      "ruleName": "Points on every order",
      "rulesetId": "<rulesetId-1>"
    },
    {
      "campaignId": "<campaignId-1>",
      "effectType": "rollbackAddedLoyaltyPoints",
      "props": {
        "programId": "<programId-2>",
        "recipientIntegrationId": "dave",
        "subLedgerId": "",
        "transactionUUID": "<transactionUUID-2>",
        "value": 3
      },
      "ruleIndex": 0,
      "ruleName": "Points on every order",
      "rulesetId": "<rulesetId-1>"
    },
    {
      "campaignId": "<campaignId-1>",
      "effectType": "rollbackAddedLoyaltyPoints",
      "props": {
        "programId": "<programId-3>",
        "recipientIntegrationId": "dave",
        "subLedgerId": "",
        "transactionUUID": "<transactionUUID-3>",
        "value": 4
      },
      "ruleIndex": 0,
      "ruleName": "Points on every order",
      "rulesetId": "<rulesetId-1>"
    }
  ]
}
