[
  {
    "accountId": "<accountId-1>",
    "created": "<created>",
    "createdBy": 1,
    "description": "",
    "id": "<id-1>",
    "modified": "<modified>",
    "name": "main",
    "subscribedApplicationsIds": [
      "<subscribedApplicationsIds-1>"
    ],
    "version": 2
  },
  {
    "data": [
      {
        "activationPolicy": "fixed_schedule",
        "allowRollbackAfterCompletion": false,
        "campaignId": "<campaignId-1>",
        "created": "<created>",
        "currentProgress": {
          "progress": 1,
          "startDate": "2026-01-01T00:00:00Z",
          "status": "inprogress"
        },
        "description": "",
        "id": "<id-1>",
        "name": "TwoOrders",
        "recurrencePolicy": "no_recurrence",
        "status": "active",
        "target": 2,
        "title": "Two orders"
      }
    ],
    "totalResultSize": 1
  },
  {
    "data": [
      {
        "progress": 1,
        "startDate": "2026-01-01T00:00:00Z",
        "status": "inprogress"
      }
    ],
    "totalResultSize": 1
  },
  [
    {
      "contextId": "winter",
      "id": "<id-1>",
      "metadata": {
        "influencingCampaignDetails": []
      },
      "observedAt": "<observedAt>",
      "price": 27.5,
      "sku": "SHIRT-1",
      "target": {
        "targetType": "NONE"
      }
    }
  ],
  {
    "data": [
      {
        "applicationId": "<applicationId-1>",
        "features": [
          "coupons"
        ],
        "id": "<id-2>",
        "name": "Summer coupons",
        "state": "enabled",
        "tags": []
      },
      {
        "applicationId": "<applicationId-1>",
        "features": [
          "loyalty"
        ],
        "id": "<id-1>",
        "name": "Earn points",
        "state": "enabled",
        "tags": []
      }
    ],
    "hasMore": true
  }
]
